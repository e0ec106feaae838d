/**
 * Time as the policies see it. Inject one (see `FakeClock` in `@resilient/core/testing`) to test
 * time-dependent behaviour without real sleeps.
 */
export interface Clock {
  /** The current time in epoch milliseconds. */
  now(): number;
  /** Calls `callback` once after `delayMs` milliseconds; returns a handle for {@link Clock.clearTimeout}. */
  setTimeout(callback: () => void, delayMs: number): unknown;
  /** Cancels a callback scheduled with {@link Clock.setTimeout}. */
  clearTimeout(handle: unknown): void;
}

/**
 * The real clock: `Date.now` and the global timers. Calls go through the globals at call time, so fake
 * timers installed later (vitest's `vi.useFakeTimers()`, sinon) are honoured.
 */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  setTimeout: (callback: () => void, delayMs: number): unknown => globalThis.setTimeout(callback, delayMs),
  clearTimeout: (handle: unknown): void => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
});

/** A source of random numbers in `[0, 1)`. Default: `Math.random`. */
export type RandomSource = () => number;

/** @internal */
export const defaultRandom: RandomSource = () => Math.random();
