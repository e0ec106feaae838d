import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpError, networkError, settle } from '../../../test/helpers';
import { FakeClock } from '../../clock/fake-clock';
import { CancelledError } from '../../errors/cancelled-error';
import { CircuitOpenError } from '../../errors/circuit-open-error';
import type { ErrorKind } from '../../errors/error-kind';
import { ResilientError } from '../../errors/resilient-error';
import { TimeoutError } from '../../errors/timeout-error';
import type { BreakerStateChangeEvent, ResiliencePlugin } from '../../hooks/plugin';
import { onPluginError } from '../../hooks/plugin-registry';
import { pipeline } from '../pipeline';
import { type Policy, PolicyBase, resolvePolicyOptions } from '../policy';
import { type CircuitBreakerOptions, circuitBreaker } from './circuit-breaker';
import { type CircuitSnapshot, type CircuitStateStore, memoryStateStore } from './circuit-snapshot';

afterEach(() => {
  onPluginError(undefined);
});

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A function that counts its calls and fails with `error`. */
function failing(error: unknown) {
  return vi.fn(async (): Promise<string> => {
    throw error;
  });
}

/** A function that counts its calls and succeeds. */
function succeeding(value = 'ok') {
  return vi.fn(async () => value);
}

/** Awaits a call that must fail and returns its error. */
async function errorOf(promise: Promise<unknown>): Promise<ResilientError> {
  const result = await settle(promise);
  if (result.ok) throw new Error(`expected a failure, got ${String(result.value)}`);
  return result.error as ResilientError;
}

/** Awaits a call that must be rejected by the breaker and returns its error. */
async function rejectionOf(promise: Promise<unknown>): Promise<CircuitOpenError> {
  const error = await errorOf(promise);
  expect(CircuitOpenError.isInstance(error)).toBe(true);
  return error as CircuitOpenError;
}

const THRESHOLD = 3;

function makeBreaker(clock: FakeClock, options: CircuitBreakerOptions = {}) {
  return circuitBreaker({
    clock,
    strategy: { type: 'consecutive', threshold: THRESHOLD },
    breakDuration: 1000,
    ...options,
  });
}

async function failTimes(breaker: Policy, times: number, error: unknown = httpError(503)) {
  for (let index = 0; index < times; index++) await errorOf(breaker.execute(failing(error)));
}

/** Opens a breaker built by {@link makeBreaker}. */
async function openBreaker(breaker: ReturnType<typeof makeBreaker>, threshold = THRESHOLD) {
  await failTimes(breaker, threshold);
  expect(breaker.state).toBe('open');
}

describe('circuitBreaker: consecutive strategy', () => {
  it('should open after threshold provider failures in a row, not before', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock);
    await failTimes(breaker, THRESHOLD - 1);
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
  });

  it('should open after 5 failures in a row by default', async () => {
    const breaker = circuitBreaker({ clock: new FakeClock() });
    await failTimes(breaker, 4);
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
  });

  it('should reset the count of failures in a row on a success', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock);
    await failTimes(breaker, THRESHOLD - 1);
    expect(await breaker.execute(succeeding('fine'))).toBe('fine');
    await failTimes(breaker, THRESHOLD - 1);
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
  });

  it('should pass every failure through to the caller classified, with the attempts made', async () => {
    const breaker = makeBreaker(new FakeClock(), { service: 'stripe' });
    const error = await errorOf(breaker.execute(failing(httpError(503))));
    expect(ResilientError.isInstance(error)).toBe(true);
    expect(error.kind).toBe('unavailable');
    expect(error.status).toBe(503);
    expect(error.service).toBe('stripe');
    expect(error.attempts).toBe(1);
  });

  it('should ignore the late result of a call that started before the breaker opened', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock, { strategy: { type: 'consecutive', threshold: 1 } });
    const slow = deferred<string>();
    const late = settle(breaker.execute(() => slow.promise));
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    slow.resolve('late');
    expect(await late).toEqual({ ok: true, value: 'late' });
    expect(breaker.state).toBe('open');
  });
});

describe('circuitBreaker: what counts as a failure', () => {
  it.each<[string, () => unknown, ErrorKind]>([
    ['a 500', () => httpError(500), 'server'],
    ['a 503', () => httpError(503), 'unavailable'],
    ['a 502', () => httpError(502), 'unavailable'],
    ['a connection reset', () => networkError('ECONNRESET'), 'network'],
    ['a refused connection', () => networkError('ECONNREFUSED'), 'network'],
    ['a 408', () => httpError(408), 'timeout'],
    ['an attempt timeout', () => new TimeoutError({ scope: 'attempt', timeoutMs: 100 }), 'timeout'],
  ])('should count %s as a provider failure', async (_, make, kind) => {
    const breaker = makeBreaker(new FakeClock());
    for (let index = 0; index < THRESHOLD; index++) {
      expect((await errorOf(breaker.execute(failing(make())))).kind).toBe(kind);
    }
    expect(breaker.state).toBe('open');
  });

  it('should not count a 429 by default', async () => {
    const breaker = makeBreaker(new FakeClock());
    await failTimes(breaker, THRESHOLD * 3, httpError(429));
    expect(breaker.state).toBe('closed');
  });

  it('should count a 429 with countRateLimits: true', async () => {
    const breaker = makeBreaker(new FakeClock(), { countRateLimits: true });
    await failTimes(breaker, THRESHOLD - 1, httpError(429));
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 1, httpError(429));
    expect(breaker.state).toBe('open');
  });

  it('should count a 429 with countRateLimits: true on top of custom failureKinds', async () => {
    const breaker = makeBreaker(new FakeClock(), { failureKinds: ['server'], countRateLimits: true });
    await failTimes(breaker, THRESHOLD, httpError(429));
    expect(breaker.state).toBe('open');
  });

  it('should count only the listed kinds when failureKinds is given', async () => {
    const breaker = makeBreaker(new FakeClock(), { failureKinds: ['server'] });
    await failTimes(breaker, THRESHOLD * 2, httpError(503));
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, THRESHOLD, httpError(500));
    expect(breaker.state).toBe('open');
  });

  it('should not take a provider failure left out of failureKinds for a sign of health', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock, { failureKinds: ['server', 'unavailable'] });
    // In a row: timeouts between failures must not reset the count.
    await failTimes(breaker, 1, httpError(500));
    await failTimes(breaker, 1, networkError('ECONNRESET'));
    await failTimes(breaker, 1, httpError(408));
    await failTimes(breaker, THRESHOLD - 1, httpError(500));
    expect(breaker.state).toBe('open');
    // A probe that times out must not close the breaker; it frees the probe slot.
    await clock.advance(1000);
    await errorOf(breaker.execute(failing(networkError('ETIMEDOUT'))));
    expect(breaker.state).toBe('half-open');
    const probe = succeeding();
    await breaker.execute(probe);
    expect(probe).toHaveBeenCalledTimes(1);
    expect(breaker.state).toBe('closed');
  });

  it('should count neither a cancellation nor an unknown error (a bug in the function)', async () => {
    const breaker = makeBreaker(new FakeClock());
    await failTimes(breaker, THRESHOLD - 1);
    for (let index = 0; index < THRESHOLD; index++) {
      const controller = new AbortController();
      const pending = breaker.execute(() => new Promise<string>(() => {}), { signal: controller.signal });
      controller.abort(new Error('user navigated away'));
      expect(CancelledError.isInstance(await errorOf(pending))).toBe(true);
      expect((await errorOf(breaker.execute(failing(new TypeError('oops'))))).kind).toBe('unknown');
    }
    expect(breaker.state).toBe('closed');
    // Neither reset the count either: one more provider failure opens it.
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
  });

  it('should not count an error from a step inside the breaker that never reached the provider', async () => {
    class LocalRejection extends PolicyBase {
      constructor(private readonly make: () => unknown) {
        super(resolvePolicyOptions('localRejection', {}));
      }
      override run<T>(): Promise<T> {
        return Promise.reject(this.make());
      }
    }
    const clock = new FakeClock();
    const breaker = makeBreaker(clock, { strategy: { type: 'consecutive', threshold: 1 } });
    // A total timeout that fires while the call waits for a token of a rate limiter inside the breaker.
    const waited = pipeline(
      breaker,
      new LocalRejection(() => new TimeoutError({ scope: 'total', timeoutMs: 50 })),
    );
    for (let index = 0; index < 3; index++)
      expect((await errorOf(waited.execute(succeeding()))).kind).toBe('timeout');
    expect(breaker.state).toBe('closed');
    // The same timeout from a call that was sent counts.
    await errorOf(breaker.execute(failing(new TimeoutError({ scope: 'total', timeoutMs: 50 }))));
    expect(breaker.state).toBe('open');
  });

  it.each([
    'invalid-request',
    'auth',
    'cancelled',
    'permission',
    'not-found',
    'conflict',
    'unknown',
    'circuit-open',
  ])('should refuse failureKinds containing %s, naming the option', (kind) => {
    expect(() => circuitBreaker({ failureKinds: [kind as ErrorKind] })).toThrow(RangeError);
    expect(() => circuitBreaker({ failureKinds: ['server', kind as ErrorKind] })).toThrow(
      new RegExp(
        `failureKinds cannot include "${kind}".*accepted kinds are rate-limit, server, unavailable, network, timeout`,
      ),
    );
  });

  it('should refuse failureKinds that is not an array of error kinds, naming the option', () => {
    expect(() => circuitBreaker({ failureKinds: 'server' as never })).toThrow(
      /circuitBreaker: failureKinds must be an array of the kinds .*server.*; got "server"/,
    );
    expect(() => circuitBreaker({ failureKinds: ['server', 'boom' as ErrorKind] })).toThrow(
      /failureKinds lists "boom", which is not an error kind/,
    );
  });
});

describe("regression 4: a breaker that counts the caller's own mistakes (400, 401, a card decline) as the provider's failures", () => {
  it.each<[string, () => unknown, ErrorKind]>([
    ['a 400', () => httpError(400), 'invalid-request'],
    ['a 401', () => httpError(401), 'auth'],
    [
      'a 402 card decline',
      () => httpError(402, { code: 'card_declined', type: 'card_error' }),
      'invalid-request',
    ],
    ['a 403', () => httpError(403), 'permission'],
    ['a 404', () => httpError(404), 'not-found'],
    ['a 409', () => httpError(409), 'conflict'],
    ['a 422', () => httpError(422), 'invalid-request'],
  ])('should never open on %s, however many in a row', async (_, make, kind) => {
    const breaker = makeBreaker(new FakeClock());
    const fn = failing(make());
    for (let index = 0; index < THRESHOLD * 4; index++) {
      expect((await errorOf(breaker.execute(fn))).kind).toBe(kind);
    }
    expect(fn).toHaveBeenCalledTimes(THRESHOLD * 4);
    expect(breaker.state).toBe('closed');
  });

  it('should never open on the default settings from a mix of caller mistakes', async () => {
    const breaker = circuitBreaker({ clock: new FakeClock() });
    const mistakes = [400, 401, 402, 403, 404, 409];
    for (let round = 0; round < 5; round++) {
      for (const status of mistakes) await errorOf(breaker.execute(failing(httpError(status))));
    }
    expect(breaker.state).toBe('closed');
  });

  it('should take a caller mistake between provider failures as a sign of health, not a failure', async () => {
    const breaker = makeBreaker(new FakeClock());
    await failTimes(breaker, THRESHOLD - 1);
    await failTimes(breaker, 1, httpError(400));
    await failTimes(breaker, THRESHOLD - 1);
    expect(breaker.state).toBe('closed');
  });

  it('should close a half-open breaker when the probe gets a caller mistake back (the provider answered)', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock);
    await openBreaker(breaker);
    await clock.advance(1000);
    expect((await errorOf(breaker.execute(failing(httpError(402, { code: 'card_declined' }))))).kind).toBe(
      'invalid-request',
    );
    expect(breaker.state).toBe('closed');
  });
});

describe('circuitBreaker: open', () => {
  it('should fail fast with a CircuitOpenError, without calling the function', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock, { service: 'stripe' });
    await openBreaker(breaker);
    const fn = succeeding();
    const error = await rejectionOf(breaker.execute(fn));
    expect(fn).not.toHaveBeenCalled();
    expect(error.kind).toBe('circuit-open');
    expect(error.outcome).toBe('not-sent');
    expect(error.retryable).toBe(false);
    expect(error.isolated).toBe(false);
    expect(error.service).toBe('stripe');
    expect(error.retryAfterMs).toBe(1000);
    expect(error.attempts).toBe(0);
    expect(error.message).toBe('Circuit for stripe is open; next probe in 1000 ms');
  });

  it('should carry the time left in the break as retryAfterMs', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock);
    await openBreaker(breaker);
    await clock.advance(300);
    expect((await rejectionOf(breaker.execute(succeeding()))).retryAfterMs).toBe(700);
    expect(breaker.retryAfterMs).toBe(700);
    await clock.advance(699);
    expect((await rejectionOf(breaker.execute(succeeding()))).retryAfterMs).toBe(1);
    expect(breaker.state).toBe('open');
    await clock.advance(1);
    expect(breaker.retryAfterMs).toBe(0);
    const probe = succeeding();
    await breaker.execute(probe);
    expect(probe).toHaveBeenCalledTimes(1);
  });

  it('should stay open (not half-open) until a call arrives after the break', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock);
    await openBreaker(breaker);
    await clock.advance(10_000);
    expect(breaker.state).toBe('open');
    expect(breaker.retryAfterMs).toBe(0);
    const probe = deferred<string>();
    const pending = settle(breaker.execute(() => probe.promise));
    expect(breaker.state).toBe('half-open');
    probe.resolve('ok');
    await pending;
  });
});

describe('regression 3: a half-open breaker that lets every concurrent caller through instead of one probe', () => {
  it('should let exactly one probe through by default and fail every other concurrent caller fast', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock);
    await openBreaker(breaker);
    await clock.advance(1000);
    const gate = deferred<string>();
    const fn = vi.fn(() => gate.promise);
    const calls = Array.from({ length: 10 }, () => settle(breaker.execute(fn)));
    expect(breaker.state).toBe('half-open');
    expect(fn).toHaveBeenCalledTimes(1);
    const others = await Promise.all(calls.slice(1));
    for (const result of others) {
      expect(result.ok).toBe(false);
      expect(CircuitOpenError.isInstance(!result.ok && result.error)).toBe(true);
      expect(!result.ok && result.error.outcome).toBe('not-sent');
    }
    gate.resolve('probe ok');
    expect(await calls[0]).toEqual({ ok: true, value: 'probe ok' });
    expect(breaker.state).toBe('closed');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it.each([2, 3, 5])('should let exactly halfOpenProbes (%i) concurrent probes through', async (probes) => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock, { halfOpenProbes: probes });
    await openBreaker(breaker);
    await clock.advance(1000);
    const gates: Deferred<string>[] = [];
    const fn = vi.fn(() => {
      const gate = deferred<string>();
      gates.push(gate);
      return gate.promise;
    });
    const calls = Array.from({ length: probes + 4 }, () => settle(breaker.execute(fn)));
    expect(fn).toHaveBeenCalledTimes(probes);
    const rejected = await Promise.all(calls.slice(probes));
    expect(rejected.every((result) => !result.ok && CircuitOpenError.isInstance(result.error))).toBe(true);
    // All probes must succeed to close.
    for (const [index, gate] of gates.entries()) {
      gate.resolve(`probe ${index}`);
      await calls[index];
      expect(breaker.state).toBe(index === probes - 1 ? 'closed' : 'half-open');
    }
  });

  it('should tell the callers it turns away when the probe will have been given up on', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock, { probeTimeoutMs: 5000 });
    await openBreaker(breaker);
    await clock.advance(1000);
    const pending = settle(breaker.execute(() => new Promise<string>(() => {})));
    await clock.advance(1200);
    expect((await rejectionOf(breaker.execute(succeeding()))).retryAfterMs).toBe(3800);
    expect(pending.settled()).toBeUndefined();
  });
});

describe('circuitBreaker: half-open', () => {
  it('should close when the probe succeeds, and let calls through again', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock);
    await openBreaker(breaker);
    await clock.advance(1000);
    expect(await breaker.execute(succeeding('probe'))).toBe('probe');
    expect(breaker.state).toBe('closed');
    const fn = succeeding();
    await Promise.all([breaker.execute(fn), breaker.execute(fn), breaker.execute(fn)]);
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('should re-open when the probe fails, for a break grown by the factor', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock, {
      breakDuration: { initialMs: 1000, factor: 2, maxMs: 60_000, jitter: 0 },
    });
    await openBreaker(breaker);
    expect(breaker.retryAfterMs).toBe(1000);
    await clock.advance(1000);
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(breaker.retryAfterMs).toBe(2000);
    await clock.advance(1999);
    expect((await rejectionOf(breaker.execute(succeeding()))).retryAfterMs).toBe(1);
    await clock.advance(1);
    await failTimes(breaker, 1);
    expect(breaker.retryAfterMs).toBe(4000);
  });

  it('should grow the break on every failed probe in a row up to maxMs, and start over after closing', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock, {
      breakDuration: { initialMs: 1000, factor: 3, maxMs: 20_000, jitter: 0 },
    });
    await openBreaker(breaker);
    const breaks = [breaker.retryAfterMs];
    for (let index = 0; index < 4; index++) {
      await clock.advance(breaker.retryAfterMs);
      await failTimes(breaker, 1);
      breaks.push(breaker.retryAfterMs);
    }
    expect(breaks).toEqual([1000, 3000, 9000, 20_000, 20_000]);
    expect(breaker.snapshot().consecutiveOpens).toBe(5);
    await clock.advance(20_000);
    await breaker.execute(succeeding());
    expect(breaker.state).toBe('closed');
    expect(breaker.snapshot().consecutiveOpens).toBe(0);
    await openBreaker(breaker);
    expect(breaker.retryAfterMs).toBe(1000);
  });

  it('should apply jitter from the injected random source, within its bounds', async () => {
    const clock = new FakeClock();
    const draws = [0, 0.999_999, 0.5];
    const random = vi.fn(() => draws.shift() ?? 0.5);
    const breaker = makeBreaker(clock, {
      breakDuration: { initialMs: 1000, factor: 2, maxMs: 10_000, jitter: 0.2 },
      random,
    });
    await openBreaker(breaker);
    expect(breaker.retryAfterMs).toBe(800); // 1000 * (1 - 0.2)
    await clock.advance(800);
    await failTimes(breaker, 1);
    expect(breaker.retryAfterMs).toBe(2400); // 2000 * (1 + 0.2), rounded
    await clock.advance(2400);
    await failTimes(breaker, 1);
    expect(breaker.retryAfterMs).toBe(4000);
    expect(random).toHaveBeenCalledTimes(3);
  });

  it('should close only after halfOpenProbes probes succeed, and re-open on any failed probe', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock, { halfOpenProbes: 3 });
    await openBreaker(breaker);
    await clock.advance(1000);
    await breaker.execute(succeeding());
    await breaker.execute(succeeding());
    expect(breaker.state).toBe('half-open');
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    await clock.advance(breaker.retryAfterMs);
    for (let index = 0; index < 3; index++) await breaker.execute(succeeding());
    expect(breaker.state).toBe('closed');
  });

  it('should ignore the results of the other probes once one probe failed', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock, { halfOpenProbes: 2, breakDuration: { initialMs: 1000, jitter: 0 } });
    await openBreaker(breaker);
    await clock.advance(1000);
    const slow = deferred<string>();
    const slowCall = settle(breaker.execute(() => slow.promise));
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    slow.resolve('late success');
    expect((await slowCall).ok).toBe(true);
    expect(breaker.state).toBe('open');
    expect(breaker.retryAfterMs).toBe(2000);
  });

  it('should declare a hung probe failed on the first call after probeTimeoutMs, so the breaker cannot wedge', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock, {
      probeTimeoutMs: 5000,
      breakDuration: { initialMs: 1000, factor: 2, maxMs: 60_000, jitter: 0 },
    });
    await openBreaker(breaker);
    await clock.advance(1000);
    const hung = deferred<string>();
    const hungCall = settle(breaker.execute(() => hung.promise));
    expect(breaker.state).toBe('half-open');
    await clock.advance(4999);
    const early = succeeding();
    expect((await rejectionOf(breaker.execute(early))).retryAfterMs).toBe(1);
    expect(breaker.state).toBe('half-open');
    await clock.advance(1);
    const next = succeeding();
    const error = await rejectionOf(breaker.execute(next));
    expect(early).not.toHaveBeenCalled();
    expect(next).not.toHaveBeenCalled();
    // Declared failed: re-opened for the next, longer break.
    expect(breaker.state).toBe('open');
    expect(error.retryAfterMs).toBe(2000);
    expect(breaker.snapshot().consecutiveOpens).toBe(2);
    await clock.advance(2000);
    const probe = succeeding('second probe');
    expect(await breaker.execute(probe)).toBe('second probe');
    expect(breaker.state).toBe('closed');
    // The hung probe's late failure is ignored: had it counted, THRESHOLD - 1 more failures would open it.
    hung.reject(httpError(503));
    expect((await hungCall).ok).toBe(false);
    await failTimes(breaker, THRESHOLD - 1);
    expect(breaker.state).toBe('closed');
  });

  it("should ignore a hung probe's late success once it was declared failed", async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock, { probeTimeoutMs: 3000 });
    await openBreaker(breaker);
    await clock.advance(1000);
    const hung = deferred<string>();
    const hungCall = settle(breaker.execute(() => hung.promise));
    await clock.advance(3000);
    await rejectionOf(breaker.execute(succeeding()));
    expect(breaker.state).toBe('open');
    hung.resolve('too late');
    expect(await hungCall).toEqual({ ok: true, value: 'too late' });
    expect(breaker.state).toBe('open');
  });

  it('should not let a probe declared hung close the breaker by succeeding during a later half-open period', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock, {
      probeTimeoutMs: 3000,
      breakDuration: { initialMs: 1000, jitter: 0 },
    });
    await openBreaker(breaker);
    await clock.advance(1000);
    const hung = deferred<string>();
    const hungCall = settle(breaker.execute(() => hung.promise));
    await clock.advance(3000);
    await rejectionOf(breaker.execute(succeeding()));
    await clock.advance(breaker.retryAfterMs);
    const current = deferred<string>();
    const currentProbe = settle(breaker.execute(() => current.promise));
    expect(breaker.state).toBe('half-open');
    hung.resolve('too late');
    await hungCall;
    // The old probe's success is not this period's probe: still half-open, still one probe at a time.
    expect(breaker.state).toBe('half-open');
    const other = succeeding();
    await rejectionOf(breaker.execute(other));
    expect(other).not.toHaveBeenCalled();
    current.reject(httpError(503));
    await currentProbe;
    expect(breaker.state).toBe('open');
  });

  it('should not declare a probe hung while it still has time, however many callers come', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock, { probeTimeoutMs: 30_000 });
    await openBreaker(breaker);
    await clock.advance(1000);
    const probe = deferred<string>();
    const probeCall = settle(breaker.execute(() => probe.promise));
    for (let index = 0; index < 29; index++) {
      await clock.advance(1000);
      await rejectionOf(breaker.execute(succeeding()));
    }
    expect(breaker.state).toBe('half-open');
    probe.resolve('slow but fine');
    await probeCall;
    expect(breaker.state).toBe('closed');
  });

  it('should release the slot of a cancelled probe without a transition', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock);
    await openBreaker(breaker);
    await clock.advance(1000);
    const events: string[] = [];
    breaker.onStateChange(({ from, to }) => events.push(`${from}->${to}`));
    const controller = new AbortController();
    const cancelled = breaker.execute(() => new Promise<string>(() => {}), { signal: controller.signal });
    expect(breaker.state).toBe('half-open');
    await rejectionOf(breaker.execute(succeeding()));
    controller.abort();
    expect(CancelledError.isInstance(await errorOf(cancelled))).toBe(true);
    expect(breaker.state).toBe('half-open');
    expect(events).toEqual(['open->half-open']);
    // The slot is free again: the next caller is the probe.
    const probe = succeeding();
    await breaker.execute(probe);
    expect(probe).toHaveBeenCalledTimes(1);
    expect(breaker.state).toBe('closed');
    expect(events).toEqual(['open->half-open', 'half-open->closed']);
  });

  it('should release the slot of a probe that throws an unknown error without a transition', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock);
    await openBreaker(breaker);
    await clock.advance(1000);
    await errorOf(breaker.execute(failing(new TypeError('bug in the caller'))));
    expect(breaker.state).toBe('half-open');
    const probe = failing(httpError(500));
    await errorOf(breaker.execute(probe));
    expect(probe).toHaveBeenCalledTimes(1);
    expect(breaker.state).toBe('open');
  });
});

describe('circuitBreaker: isolate and reset', () => {
  it('should reject every call with isolated: true until reset, whatever the time', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock, { service: 'resend' });
    breaker.isolate();
    expect(breaker.state).toBe('isolated');
    const fn = succeeding();
    for (let index = 0; index < 3; index++) {
      const error = await rejectionOf(breaker.execute(fn));
      expect(error.isolated).toBe(true);
      expect(error.kind).toBe('circuit-open');
      expect(error.outcome).toBe('not-sent');
      expect(error.message).toBe('Circuit for resend is isolated');
      await clock.advance(3_600_000);
    }
    expect(fn).not.toHaveBeenCalled();
    expect(breaker.state).toBe('isolated');
    breaker.reset();
    expect(breaker.state).toBe('closed');
    expect(await breaker.execute(fn)).toBe('ok');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('should isolate an open or half-open breaker too', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock);
    await openBreaker(breaker);
    await clock.advance(1000);
    const probe = deferred<string>();
    const probeCall = settle(breaker.execute(() => probe.promise));
    breaker.isolate();
    probe.resolve('fine');
    await probeCall;
    expect(breaker.state).toBe('isolated');
    expect((await rejectionOf(breaker.execute(succeeding()))).isolated).toBe(true);
  });

  it('should forget past failures on reset', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock);
    await failTimes(breaker, THRESHOLD - 1);
    breaker.reset();
    await failTimes(breaker, THRESHOLD - 1);
    expect(breaker.state).toBe('closed');
  });

  it('should close an open breaker on reset and start the break growth over', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock, { breakDuration: { initialMs: 1000, factor: 2, jitter: 0 } });
    await openBreaker(breaker);
    await clock.advance(1000);
    await failTimes(breaker, 1);
    expect(breaker.retryAfterMs).toBe(2000);
    breaker.reset();
    expect(breaker.state).toBe('closed');
    expect(breaker.retryAfterMs).toBe(0);
    expect(breaker.snapshot()).toEqual({ version: 1, state: 'closed', openUntil: 0, consecutiveOpens: 0 });
    await openBreaker(breaker);
    expect(breaker.retryAfterMs).toBe(1000);
  });

  it('should ignore the late failure of a call that started before a reset', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock, { strategy: { type: 'consecutive', threshold: 1 } });
    const slow = deferred<string>();
    const slowCall = settle(breaker.execute(() => slow.promise));
    breaker.isolate();
    breaker.reset();
    slow.reject(httpError(503));
    await slowCall;
    expect(breaker.state).toBe('closed');
  });
});

describe('circuitBreaker: state-change listeners', () => {
  it('should tell listeners every transition with from, to and the breaker name', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock, { name: 'payments' });
    const events: BreakerStateChangeEvent[] = [];
    breaker.onStateChange((event) => events.push(event));
    await openBreaker(breaker);
    await clock.advance(1000);
    await failTimes(breaker, 1);
    await clock.advance(breaker.retryAfterMs);
    await breaker.execute(succeeding());
    breaker.isolate();
    breaker.reset();
    expect(events.map(({ breaker: name, from, to }) => ({ breaker: name, from, to }))).toEqual([
      { breaker: 'payments', from: 'closed', to: 'open' },
      { breaker: 'payments', from: 'open', to: 'half-open' },
      { breaker: 'payments', from: 'half-open', to: 'open' },
      { breaker: 'payments', from: 'open', to: 'half-open' },
      { breaker: 'payments', from: 'half-open', to: 'closed' },
      { breaker: 'payments', from: 'closed', to: 'isolated' },
      { breaker: 'payments', from: 'isolated', to: 'closed' },
    ]);
    expect(events[0]!.operation).toMatchObject({ operation: 'execute' });
    expect(events[5]!.operation).toBeUndefined();
  });

  it('should name events after the service when no name is given, else circuit-breaker', async () => {
    const named: string[] = [];
    const withService = makeBreaker(new FakeClock(), { service: 'sendgrid' });
    withService.onStateChange(({ breaker }) => named.push(breaker));
    withService.isolate();
    const anonymous = makeBreaker(new FakeClock());
    anonymous.onStateChange(({ breaker }) => named.push(breaker));
    anonymous.isolate();
    expect(named).toEqual(['sendgrid', 'circuit-breaker']);
    expect(withService.name).toBe('sendgrid');
  });

  it('should stop telling a listener that unsubscribed', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock);
    const listener = vi.fn();
    const kept = vi.fn();
    const unsubscribe = breaker.onStateChange(listener);
    breaker.onStateChange(kept);
    breaker.isolate();
    unsubscribe();
    unsubscribe();
    breaker.reset();
    expect(listener).toHaveBeenCalledTimes(1);
    expect(kept).toHaveBeenCalledTimes(2);
  });

  it('should not tell listeners about a reset of a breaker that is already closed', () => {
    const breaker = makeBreaker(new FakeClock());
    const listener = vi.fn();
    breaker.onStateChange(listener);
    breaker.reset();
    expect(listener).not.toHaveBeenCalled();
  });

  it('should not let a throwing listener break the call, and report it', async () => {
    const reported: unknown[] = [];
    onPluginError((error) => reported.push(error));
    const clock = new FakeClock();
    const breaker = makeBreaker(clock);
    const after = vi.fn();
    breaker.onStateChange(() => {
      throw new Error('listener bug');
    });
    breaker.onStateChange(after);
    await failTimes(breaker, THRESHOLD);
    expect(breaker.state).toBe('open');
    await clock.advance(1000);
    expect(await breaker.execute(succeeding('still works'))).toBe('still works');
    expect(breaker.state).toBe('closed');
    expect(after).toHaveBeenCalledTimes(3);
    expect(reported).toHaveLength(3);
    expect((reported[0] as Error).message).toBe('listener bug');
  });

  it('should refuse a listener that is not a function', () => {
    const breaker = makeBreaker(new FakeClock());
    expect(() => breaker.onStateChange('nope' as never)).toThrow(/listener must be a function/);
  });

  it('should not let a call through when a listener isolates the breaker as it turns half-open', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock);
    await openBreaker(breaker);
    breaker.onStateChange(({ to }) => {
      if (to === 'half-open') breaker.isolate();
    });
    await clock.advance(1000);
    const fn = succeeding();
    const error = await rejectionOf(breaker.execute(fn));
    expect(error.isolated).toBe(true);
    expect(fn).not.toHaveBeenCalled();
    expect(breaker.state).toBe('isolated');
  });

  it('should let a call through as a normal call when a listener resets the breaker as it turns half-open', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock);
    await openBreaker(breaker);
    breaker.onStateChange(({ to }) => {
      if (to === 'half-open') breaker.reset();
    });
    await clock.advance(1000);
    const fn = succeeding();
    await Promise.all([breaker.execute(fn), breaker.execute(fn)]);
    expect(fn).toHaveBeenCalledTimes(2);
    expect(breaker.state).toBe('closed');
  });

  it('should tell plugins about transitions and rejections', async () => {
    const clock = new FakeClock();
    const plugin: ResiliencePlugin = { name: 'spy', onBreakerStateChange: vi.fn(), onRejected: vi.fn() };
    const breaker = makeBreaker(clock, { plugins: [plugin], service: 'stripe' });
    await openBreaker(breaker);
    const error = await rejectionOf(breaker.execute(succeeding()));
    expect(plugin.onBreakerStateChange).toHaveBeenCalledWith(
      expect.objectContaining({ breaker: 'stripe', from: 'closed', to: 'open' }),
    );
    expect(plugin.onRejected).toHaveBeenCalledWith(
      expect.objectContaining({ rejectedBy: 'circuit-breaker', error }),
    );
  });
});

describe('circuitBreaker: snapshots and stores', () => {
  it('should round-trip a closed, open and isolated state through snapshot() and initialState', async () => {
    const clock = new FakeClock();
    const options = { breakDuration: { initialMs: 1000, factor: 2, jitter: 0 } } as const;
    const breaker = makeBreaker(clock, options);
    expect(makeBreaker(clock, { ...options, initialState: breaker.snapshot() }).state).toBe('closed');

    await openBreaker(breaker);
    await clock.advance(1000);
    await failTimes(breaker, 1);
    await clock.advance(500);
    const snapshot = breaker.snapshot();
    expect(snapshot).toEqual({
      version: 1,
      state: 'open',
      openUntil: clock.now() + 1500,
      consecutiveOpens: 2,
    });
    const copy = makeBreaker(clock, { ...options, initialState: JSON.parse(JSON.stringify(snapshot)) });
    expect(copy.state).toBe('open');
    expect(copy.retryAfterMs).toBe(1500);
    expect(copy.snapshot()).toEqual(snapshot);
    // The growth resumes where it was: the next failed probe breaks for 4 s.
    await clock.advance(1500);
    await failTimes(copy, 1);
    expect(copy.retryAfterMs).toBe(4000);

    breaker.isolate();
    const isolated = makeBreaker(clock, { initialState: breaker.snapshot() });
    expect(isolated.state).toBe('isolated');
    expect((await rejectionOf(isolated.execute(succeeding()))).isolated).toBe(true);
  });

  it('should restore a half-open snapshot as open and due for a probe', async () => {
    const clock = new FakeClock();
    const breaker = makeBreaker(clock);
    await openBreaker(breaker);
    await clock.advance(1000);
    const probe = settle(breaker.execute(() => new Promise<string>(() => {})));
    const snapshot = breaker.snapshot();
    expect(snapshot.state).toBe('half-open');
    await clock.advance(10);
    const restored = makeBreaker(clock, { initialState: snapshot });
    expect(restored.state).toBe('open');
    expect(restored.retryAfterMs).toBe(0);
    expect(restored.snapshot().openUntil).toBeLessThanOrEqual(clock.now());
    const fn = vi.fn(() => new Promise<string>(() => {}));
    const first = settle(restored.execute(fn));
    await rejectionOf(restored.execute(fn));
    expect(fn).toHaveBeenCalledTimes(1);
    expect(restored.state).toBe('half-open');
    expect(probe.settled()).toBeUndefined();
    expect(first.settled()).toBeUndefined();
  });

  it('should restore a half-open snapshot whose break ends later as due now', () => {
    const clock = new FakeClock();
    const restored = makeBreaker(clock, {
      initialState: { version: 1, state: 'half-open', openUntil: clock.now() + 50_000, consecutiveOpens: 1 },
    });
    expect(restored.state).toBe('open');
    expect(restored.retryAfterMs).toBe(0);
  });

  it('should cut a restored break that is longer than any break this breaker sets', () => {
    const clock = new FakeClock();
    const restored = makeBreaker(clock, {
      breakDuration: { initialMs: 1000, maxMs: 10_000, jitter: 0.5 },
      initialState: { version: 1, state: 'open', openUntil: clock.now() + 3_600_000, consecutiveOpens: 3 },
    });
    expect(restored.state).toBe('open');
    expect(restored.retryAfterMs).toBe(15_000);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'open'],
    ['a wrong version', { version: 2, state: 'open', openUntil: 0, consecutiveOpens: 0 }],
    ['an unknown state', { version: 1, state: 'ajar', openUntil: 0, consecutiveOpens: 0 }],
    ['a NaN openUntil', { version: 1, state: 'open', openUntil: Number.NaN, consecutiveOpens: 0 }],
    ['a negative consecutiveOpens', { version: 1, state: 'open', openUntil: 0, consecutiveOpens: -1 }],
    ['a fractional consecutiveOpens', { version: 1, state: 'open', openUntil: 0, consecutiveOpens: 1.5 }],
  ])('should refuse an initialState that is %s, naming the option', (_, initialState) => {
    expect(() => circuitBreaker({ initialState: initialState as CircuitSnapshot })).toThrow(
      /circuitBreaker: initialState must be a snapshot from breaker\.snapshot\(\) \(version 1/,
    );
  });

  it('should persist state across two breakers with the same name through memoryStateStore()', async () => {
    const clock = new FakeClock();
    const store = memoryStateStore();
    const first = makeBreaker(clock, { name: 'stripe-charges', store });
    expect(store.size).toBe(0);
    await openBreaker(first);
    expect(store.size).toBe(1);
    expect(store.load('stripe-charges')).toEqual(first.snapshot());

    const second = makeBreaker(clock, { name: 'stripe-charges', store });
    expect(second.state).toBe('open');
    const fn = succeeding();
    expect((await rejectionOf(second.execute(fn))).retryAfterMs).toBe(1000);
    expect(fn).not.toHaveBeenCalled();
    const other = makeBreaker(clock, { name: 'stripe-refunds', store });
    expect(other.state).toBe('closed');

    await clock.advance(1000);
    await second.execute(fn);
    expect(second.state).toBe('closed');
    expect(makeBreaker(clock, { name: 'stripe-charges', store }).state).toBe('closed');
  });

  it('should prefer initialState over the store', async () => {
    const clock = new FakeClock();
    const store = memoryStateStore();
    store.save('x', { version: 1, state: 'isolated', openUntil: 0, consecutiveOpens: 0 });
    const breaker = makeBreaker(clock, {
      name: 'x',
      store,
      initialState: { version: 1, state: 'closed', openUntil: 0, consecutiveOpens: 0 },
    });
    expect(breaker.state).toBe('closed');
  });

  it('should start closed and report it when the store fails to load or holds garbage', async () => {
    const reported: string[] = [];
    onPluginError((error, _plugin, hook) => reported.push(`${hook}: ${(error as Error).message}`));
    const throwing: CircuitStateStore = {
      load: () => {
        throw new Error('redis down');
      },
      save: () => {},
    };
    expect(makeBreaker(new FakeClock(), { store: throwing }).state).toBe('closed');
    const garbage: CircuitStateStore = {
      load: () => ({ version: 7, state: 'open' }) as unknown as CircuitSnapshot,
      save: () => {},
    };
    const breaker = makeBreaker(new FakeClock(), { store: garbage });
    expect(breaker.state).toBe('closed');
    expect(await breaker.execute(succeeding())).toBe('ok');
    expect(reported).toEqual([
      'load: redis down',
      expect.stringMatching(/^load: circuitBreaker: the snapshot loaded from the store must be a snapshot/),
    ]);
  });

  it('should keep working when the store fails to save', async () => {
    const reported: unknown[] = [];
    onPluginError((error) => reported.push(error));
    const clock = new FakeClock();
    const breaker = makeBreaker(clock, {
      store: {
        load: () => undefined,
        save: () => {
          throw new Error('disk full');
        },
      },
    });
    await openBreaker(breaker);
    await clock.advance(1000);
    expect(await breaker.execute(succeeding('ok'))).toBe('ok');
    expect(breaker.state).toBe('closed');
    expect(reported).toHaveLength(3);
  });

  it('should refuse a store without load and save', () => {
    expect(() => circuitBreaker({ store: { load: () => undefined } as never })).toThrow(
      /store must have load\(name\) and save\(name, snapshot\)/,
    );
  });
});

describe('circuitBreaker: no timers', () => {
  it('should never set a timer through open, half-open and closed cycles', async () => {
    const clock = new FakeClock();
    const setTimeoutSpy = vi.spyOn(clock, 'setTimeout');
    const breaker = makeBreaker(clock, { probeTimeoutMs: 2000, halfOpenProbes: 2 });
    for (let cycle = 0; cycle < 3; cycle++) {
      await openBreaker(breaker);
      expect(clock.pendingTimers).toBe(0);
      await rejectionOf(breaker.execute(succeeding()));
      await clock.advance(breaker.retryAfterMs);
      const hung = [1, 2].map(() => settle(breaker.execute(() => new Promise<string>(() => {}))));
      expect(breaker.state).toBe('half-open');
      expect(clock.pendingTimers).toBe(0);
      await rejectionOf(breaker.execute(succeeding()));
      await clock.advance(2000);
      await rejectionOf(breaker.execute(succeeding()));
      expect(breaker.state).toBe('open');
      await clock.advance(breaker.retryAfterMs);
      await breaker.execute(succeeding());
      await breaker.execute(succeeding());
      expect(breaker.state).toBe('closed');
      expect(hung.every((call) => call.settled() === undefined)).toBe(true);
    }
    breaker.isolate();
    breaker.reset();
    expect(clock.pendingTimers).toBe(0);
    expect(setTimeoutSpy).not.toHaveBeenCalled();
  });
});

describe('circuitBreaker: option validation', () => {
  it.each<[string, unknown, RegExp]>([
    [
      'a negative halfOpenProbes',
      { halfOpenProbes: -1 },
      /halfOpenProbes must be an integer from 1 to 1000; got -1/,
    ],
    [
      'a zero halfOpenProbes',
      { halfOpenProbes: 0 },
      /halfOpenProbes must be an integer from 1 to 1000; got 0/,
    ],
    [
      'a NaN halfOpenProbes',
      { halfOpenProbes: Number.NaN },
      /halfOpenProbes must be an integer from 1 to 1000; got NaN/,
    ],
    [
      'an Infinity halfOpenProbes',
      { halfOpenProbes: Number.POSITIVE_INFINITY },
      /halfOpenProbes must be an integer from 1 to 1000; got Infinity/,
    ],
    [
      'a fractional halfOpenProbes',
      { halfOpenProbes: 1.5 },
      /halfOpenProbes must be an integer from 1 to 1000; got 1\.5/,
    ],
    [
      'a string halfOpenProbes',
      { halfOpenProbes: '2' },
      /halfOpenProbes must be an integer from 1 to 1000; got "2"/,
    ],
    [
      'a negative probeTimeoutMs',
      { probeTimeoutMs: -5 },
      /probeTimeoutMs must be a number from 1 to 2147483647; got -5/,
    ],
    [
      'a NaN probeTimeoutMs',
      { probeTimeoutMs: Number.NaN },
      /probeTimeoutMs must be a number from 1 to 2147483647; got NaN/,
    ],
    [
      'an Infinity probeTimeoutMs',
      { probeTimeoutMs: Number.POSITIVE_INFINITY },
      /probeTimeoutMs must be a number from 1 to 2147483647; got Infinity/,
    ],
    [
      'a string probeTimeoutMs',
      { probeTimeoutMs: '1000' },
      /probeTimeoutMs must be a number from 1 to 2147483647; got "1000"/,
    ],
    [
      'a negative breakDuration',
      { breakDuration: -1 },
      /breakDuration must be a number from 1 to 2147483647; got -1/,
    ],
    [
      'a NaN breakDuration',
      { breakDuration: Number.NaN },
      /breakDuration must be a number from 1 to 2147483647; got NaN/,
    ],
    [
      'an Infinity breakDuration',
      { breakDuration: Number.POSITIVE_INFINITY },
      /breakDuration must be a number from 1 to 2147483647; got Infinity/,
    ],
    [
      'a string breakDuration',
      { breakDuration: '5000' },
      /breakDuration must be a number of milliseconds from 1 to 2147483647, or an object with initialMs, maxMs, factor and jitter; got "5000"/,
    ],
    [
      'a null breakDuration',
      { breakDuration: null },
      /breakDuration must be a number of milliseconds from 1 to 2147483647, or an object .*; got null/,
    ],
    [
      'a boolean countRateLimits',
      { countRateLimits: 'yes' },
      /countRateLimits must be true or false; got "yes"/,
    ],
    ['a random that is not a function', { random: 0.5 }, /random must be a function; got 0\.5/],
    ['an empty name', { name: ' ' }, /name must be a non-empty string; got " "/],
    [
      'a string strategy',
      { strategy: 'consecutive' },
      /strategy must be an object, .*consecutive.*sampling.*; got "consecutive"/,
    ],
    ['a null strategy', { strategy: null }, /strategy must be an object, .*; got null/],
    [
      'an unknown strategy type',
      { strategy: { type: 'ratio' } },
      /strategy\.type must be "consecutive" or "sampling"; got "ratio"/,
    ],
    [
      'a zero threshold',
      { strategy: { type: 'consecutive', threshold: 0 } },
      /strategy\.threshold must be an integer from 1 to 1000000; got 0/,
    ],
    [
      'a NaN threshold',
      { strategy: { type: 'consecutive', threshold: Number.NaN } },
      /strategy\.threshold must be an integer from 1 to 1000000; got NaN/,
    ],
    [
      'an unknown option',
      { thresold: 3 },
      /circuitBreaker: unknown option "thresold"; accepted options are name, strategy, breakDuration, halfOpenProbes, probeTimeoutMs, failureKinds, countRateLimits, initialState, store, fleet, random/,
    ],
    [
      'a clock without timers',
      { clock: { now: () => 0 } },
      /clock must have now\(\), setTimeout\(\) and clearTimeout\(\)/,
    ],
  ])('should refuse %s with a message naming the option and its range', (_, options, message) => {
    expect(() => circuitBreaker(options as CircuitBreakerOptions)).toThrow(message);
  });

  it('should throw a RangeError for a number out of range and a TypeError for a wrong type', () => {
    expect(() => circuitBreaker({ halfOpenProbes: 0 })).toThrow(RangeError);
    expect(() => circuitBreaker({ probeTimeoutMs: Number.NaN })).toThrow(RangeError);
    expect(() => circuitBreaker({ halfOpenProbes: '1' as never })).toThrow(TypeError);
    expect(() => circuitBreaker({ bogus: true } as never)).toThrow(TypeError);
    expect(() => circuitBreaker(null as never)).toThrow(
      /circuitBreaker: options must be an object; got null/,
    );
  });

  it('should accept the bounds of every range', () => {
    expect(() =>
      circuitBreaker({
        halfOpenProbes: 1000,
        probeTimeoutMs: 1,
        breakDuration: 2_147_483_647,
        strategy: { type: 'consecutive', threshold: 1_000_000 },
      }),
    ).not.toThrow();
    expect(() =>
      circuitBreaker({ halfOpenProbes: 1, probeTimeoutMs: 2_147_483_647, breakDuration: 1 }),
    ).not.toThrow();
    expect(() => circuitBreaker({ halfOpenProbes: 1001 })).toThrow(/halfOpenProbes/);
  });
});
