/** A rate limiter's bucket as the GCRA sees it: the fields of core's `RateLimitBucket` it needs. */
export interface GcraBucket {
  /** Calls allowed per interval, on average (> 0). */
  readonly limit: number;
  /** The interval, in ms (> 0). */
  readonly intervalMs: number;
  /** Calls allowed in one burst after a quiet spell (>= 1). */
  readonly burst: number;
  /** The longest a call may wait for its slot, in ms (>= 0). */
  readonly maxWaitMs: number;
}

/**
 * A bucket's state: the theoretical arrival time (TAT) of the next call, `start + taken * emissionMs`,
 * kept as its parts. One number would do in exact arithmetic, but at epoch-millisecond magnitudes a
 * double's step is about 0.24 µs, so adding a non-integer emission interval call after call drifts, and a
 * burst's last call could be told to wait 1 ms. Counting slots from the moment the bucket was last full
 * keeps the burst boundary exact.
 */
export interface GcraState {
  /** When the bucket was last full (or, after a change of rate, the TAT at that change), in ms. */
  readonly start: number;
  /** Slots reserved since `start`. */
  readonly taken: number;
  /** The emission interval those slots were reserved at, in ms. */
  readonly emissionMs: number;
}

/** A GCRA decision, with the state to store (unchanged when the call was not allowed). */
export interface GcraResult {
  /** Whether a slot was reserved. */
  readonly allowed: boolean;
  /** Allowed: ms until the call's slot (0: go now). Not allowed: ms until a retry would be allowed. */
  readonly waitMs: number;
  /** The bucket's state after the decision. */
  readonly state: GcraState | undefined;
}

/** A slot less than this far away (in ms) counts as now: it absorbs the doubles' rounding. */
export const GCRA_TOLERANCE_MS = 1e-6;

/** The largest wait reported: waits stay exact integers (and Redis's integer replies stay exact). */
const GCRA_MAX_WAIT_MS = Number.MAX_SAFE_INTEGER;

/**
 * @internal The generic cell rate algorithm with reservations, the pure model of the Lua script in
 * `gcra-script.ts` (the two must do the same arithmetic in the same order, so that they decide alike to
 * the last bit).
 *
 * Calls are spaced by the emission interval `T = intervalMs / limit`; a call may go as early as
 * `(burst - 1) * T` before its theoretical arrival time, so after a quiet spell `burst` calls go at once,
 * then one per `T`. Each allowed call reserves its own slot, so waiting callers go in arrival order and
 * no herd forms at a refill: the same behaviour as core's local token bucket.
 *
 * - Allowed: `waitMs` is the integer ms until the call's slot, rounded up.
 * - A call whose wait would exceed `maxWaitMs` reserves nothing: `allowed` is false and `waitMs` is
 *   that whole wait: the time until a slot is free, as core's local limiter answers (if nobody else
 *   reserves one in between).
 */
export function gcra(state: GcraState | undefined, now: number, bucket: GcraBucket): GcraResult {
  const emissionMs = gcraEmissionMs(bucket);
  let start = now;
  let taken = 0;
  if (state !== undefined) {
    start = state.start;
    taken = state.taken;
    if (state.emissionMs !== emissionMs) {
      // The rate changed (a redeploy with a new limit): keep the TAT, count slots from it at the new rate.
      start = start + taken * state.emissionMs;
      taken = 0;
    }
    // The bucket is full again once its TAT has passed: count afresh from now.
    if (start - now + taken * emissionMs <= 0) {
      start = now;
      taken = 0;
    }
  }
  // The call's slot relative to now: TAT - (burst - 1) * T - now, grouped so that a burst is exact.
  const slotMs = start - now + (taken + 1 - bucket.burst) * emissionMs;
  const waitMs =
    slotMs <= GCRA_TOLERANCE_MS ? 0 : Math.min(Math.ceil(slotMs - GCRA_TOLERANCE_MS), GCRA_MAX_WAIT_MS);
  if (waitMs > bucket.maxWaitMs) {
    return { allowed: false, waitMs, state };
  }
  return { allowed: true, waitMs, state: { start, taken: taken + 1, emissionMs } };
}

/**
 * @internal The emission interval of `bucket`, `intervalMs / limit` in ms, capped at
 * {@link GCRA_MAX_WAIT_MS} so that an absurdly small limit cannot make it infinite (and the state NaN).
 */
export function gcraEmissionMs(bucket: GcraBucket): number {
  return Math.min(bucket.intervalMs / bucket.limit, GCRA_MAX_WAIT_MS);
}

/** @internal Ms from `now` until a bucket in `state` is full again: how long its key must live. */
export function gcraDrainMs(state: GcraState, now: number): number {
  return Math.max(0, state.start - now + state.taken * state.emissionMs);
}
