import type { Clock } from './clock';

interface FakeTimer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/**
 * A clock that moves only when told to, for tests of code that uses `@resilient/core` policies.
 * Pass it as the `clock` option, then `await clock.advance(ms)`: due timers fire in order, and the
 * promises they settle run before `advance` returns.
 *
 * @example
 * const clock = new FakeClock();
 * const policy = retry({ clock, backoff: constantBackoff(1000) });
 * const result = policy.execute(flakyCall);
 * await clock.advance(1000);
 */
export class FakeClock implements Clock {
  private current: number;
  private readonly timers: FakeTimer[] = [];
  private nextId = 1;

  /** @param startMs The initial time in epoch milliseconds. Default: 2026-01-01T00:00:00Z. */
  constructor(startMs = Date.UTC(2026, 0, 1)) {
    if (!Number.isFinite(startMs))
      throw new RangeError(`FakeClock: startMs must be a finite number; got ${startMs}`);
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const at = this.current + Math.max(0, Number.isFinite(delayMs) ? delayMs : 0);
    const timer: FakeTimer = { id: this.nextId++, at, callback };
    let index = this.timers.length;
    while (index > 0 && this.timers[index - 1]!.at > at) index--;
    this.timers.splice(index, 0, timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    const index = this.timers.findIndex((timer) => timer.id === handle);
    if (index >= 0) this.timers.splice(index, 1);
  }

  /** How many timers are waiting to fire. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Lets pending promise callbacks run without moving time. */
  async flush(): Promise<void> {
    await macrotask();
  }

  /** Moves time forward by `ms`, firing every timer that falls due, each after the promises before it settle. */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0) || !Number.isFinite(ms))
      throw new RangeError(`FakeClock.advance: ms must be a finite number >= 0; got ${ms}`);
    const target = this.current + ms;
    await macrotask();
    for (;;) {
      const timer = this.timers[0];
      if (timer === undefined || timer.at > target) break;
      this.timers.shift();
      this.current = Math.max(this.current, timer.at);
      timer.callback();
      await macrotask();
    }
    this.current = target;
    await macrotask();
  }

  /** Fires timers until none is left (at most `limit`), moving time to each; returns how many fired. */
  async runAll(limit = 10_000): Promise<number> {
    let fired = 0;
    await macrotask();
    while (this.timers.length > 0 && fired < limit) {
      const timer = this.timers.shift()!;
      this.current = Math.max(this.current, timer.at);
      timer.callback();
      fired++;
      await macrotask();
    }
    return fired;
  }
}

/** Waits for a macrotask, so every queued microtask (promise callback) runs first. */
function macrotask(): Promise<void> {
  const scheduler = globalThis as { setImmediate?: (callback: () => void) => unknown };
  if (typeof scheduler.setImmediate === 'function') {
    return new Promise((resolve) => scheduler.setImmediate!(resolve));
  }
  return new Promise((resolve) => globalThis.setTimeout(resolve, 0));
}
