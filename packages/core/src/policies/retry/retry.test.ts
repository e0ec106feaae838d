import { describe, expect, it } from 'vitest';
import { httpError, networkError, never, scripted, settle } from '../../../test/helpers';
import { FakeClock } from '../../clock/fake-clock';
import { CancelledError } from '../../errors/cancelled-error';
import { RateLimitError } from '../../errors/rate-limit-error';
import { ResilientError } from '../../errors/resilient-error';
import { TimeoutError } from '../../errors/timeout-error';
import { pipeline } from '../pipeline';
import { timeout } from '../timeout/timeout';
import { constantBackoff, exponentialBackoff } from './backoff';
import { retry } from './retry';

describe('retry', () => {
  it('regression 1: a last-attempt check written with the comma operator ends the loop on the first failure', async () => {
    const clock = new FakeClock();
    const { fn, calls } = scripted([httpError(503), httpError(503)], 'ok');
    const result = settle(retry({ clock, backoff: constantBackoff(100) }).execute(fn));
    await clock.advance(100);
    await clock.advance(100);
    expect(await result).toEqual({ ok: true, value: 'ok' });
    expect(calls.map((call) => call.attempt)).toEqual([1, 2, 3]);
  });

  it('regression 2: a 429 on the last attempt must not end in a silent undefined', async () => {
    const clock = new FakeClock();
    const limited = () => httpError(429, { headers: { 'retry-after': '1' } });
    const { fn, calls } = scripted([limited(), limited(), limited()], 'never');
    const result = settle(retry({ clock, maxAttempts: 3 }).execute(fn));
    await clock.advance(1000);
    await clock.advance(1000);
    const settled = await result;
    expect(settled.ok).toBe(false);
    if (settled.ok) return;
    expect(RateLimitError.isInstance(settled.error)).toBe(true);
    expect(settled.error.kind).toBe('rate-limit');
    expect(settled.error.attempts).toBe(3);
    expect(settled.error.retryAfterMs).toBe(1000);
    expect(calls).toHaveLength(3);
  });

  it('regression 5: never retries a non-idempotent POST whose outcome is unknown, without an idempotency key', async () => {
    const clock = new FakeClock();
    const { fn, calls } = scripted([networkError('ECONNRESET')], { id: 'cus_1' });
    const result = await settle(retry({ clock, backoff: constantBackoff(0) }).execute(fn));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.kind).toBe('network');
    expect(!result.ok && result.error.outcome).toBe('unknown');
    expect(calls).toHaveLength(1);
  });

  it('regression 5: retries an unknown outcome under the same idempotency key on every attempt', async () => {
    const clock = new FakeClock();
    const { fn, calls } = scripted([networkError('ECONNRESET'), httpError(500)], { id: 'cus_1' });
    const result = await settle(
      retry({ clock, backoff: constantBackoff(0) }).execute(fn, { idempotencyKey: 'signup-42' }),
    );
    expect(result).toEqual({ ok: true, value: { id: 'cus_1' } });
    expect(calls.map((call) => call.idempotencyKey)).toEqual(['signup-42', 'signup-42', 'signup-42']);
  });

  it('retries an unknown outcome when the call is idempotent', async () => {
    const { fn, calls } = scripted([networkError('ETIMEDOUT')], 'ok');
    const result = await retry({ backoff: constantBackoff(0) }).execute(fn, { idempotent: true });
    expect(result).toBe('ok');
    expect(calls).toHaveLength(2);
  });

  it('retries a connection that was never made (not-sent) even without a key', async () => {
    const { fn, calls } = scripted([networkError('ECONNREFUSED')], 'ok');
    expect(await retry({ backoff: constantBackoff(0) }).execute(fn)).toBe('ok');
    expect(calls).toHaveLength(2);
  });

  it('regression 7: honours Retry-After instead of a fixed jitter', async () => {
    const clock = new FakeClock();
    const { fn, calls } = scripted([httpError(429, { headers: { 'retry-after': '7' } })], 'ok');
    const result = settle(retry({ clock, backoff: constantBackoff(10) }).execute(fn));
    await clock.advance(6_999);
    expect(calls).toHaveLength(1);
    await clock.advance(1);
    expect(await result).toEqual({ ok: true, value: 'ok' });
    expect(calls).toHaveLength(2);
  });

  it('regression 7: a Retry-After beyond the cap fails at once with the rate-limit error and its reset time', async () => {
    const clock = new FakeClock();
    const { fn, calls } = scripted([httpError(429, { headers: { 'retry-after': '3600' } })], 'ok');
    const result = await settle(retry({ clock, maxRetryAfterMs: 60_000 }).execute(fn));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.retryAfterMs).toBe(3_600_000);
    expect(calls).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('regression 10: every failure ends in a typed error carrying the attempts made', async () => {
    const { fn } = scripted([httpError(503), httpError(503), httpError(503)], 'never');
    const result = await settle(retry({ backoff: constantBackoff(0) }).execute(fn));
    expect(result.ok).toBe(false);
    expect(!result.ok && ResilientError.isInstance(result.error)).toBe(true);
    expect(!result.ok && result.error.attempts).toBe(3);
    expect(!result.ok && result.error.kind).toBe('unavailable');
  });

  it('retries a conflict the provider marks retryable (the same key is still running)', async () => {
    const { fn, calls } = scripted([httpError(409, { code: 'idempotency_key_in_use' })], 'ok');
    expect(await retry({ backoff: constantBackoff(0) }).execute(fn, { idempotencyKey: 'k' })).toBe('ok');
    expect(calls).toHaveLength(2);
    const mismatch = scripted([httpError(409, { code: 'invalid_idempotent_request' })], 'ok');
    expect((await settle(retry({ backoff: constantBackoff(0) }).execute(mismatch.fn))).ok).toBe(false);
    expect(mismatch.calls).toHaveLength(1);
  });

  it('does not retry the caller’s own mistakes', async () => {
    for (const status of [400, 401, 402, 403, 404, 422]) {
      const { fn, calls } = scripted([httpError(status)], 'ok');
      const result = await settle(retry({ backoff: constantBackoff(0) }).execute(fn));
      expect(result.ok).toBe(false);
      expect(calls).toHaveLength(1);
    }
  });

  it('waits on no timer for a zero delay', async () => {
    const clock = new FakeClock();
    const { fn, calls } = scripted([httpError(503), httpError(503)], 'ok');
    const result = retry({ clock, backoff: constantBackoff(0) }).execute(fn);
    expect(clock.pendingTimers).toBe(0);
    expect(await result).toBe('ok');
    expect(calls).toHaveLength(3);
  });

  it('waits the backoff delay before each retry, and not less', async () => {
    const clock = new FakeClock();
    const { fn, calls } = scripted([httpError(503), httpError(503)], 'ok');
    const result = settle(
      retry({ clock, backoff: exponentialBackoff({ baseDelayMs: 100, maxDelayMs: 1000 }) }).execute(fn),
    );
    await clock.advance(99);
    expect(calls).toHaveLength(1);
    await clock.advance(1);
    expect(calls).toHaveLength(2);
    await clock.advance(199);
    expect(calls).toHaveLength(2);
    await clock.advance(1);
    expect(await result).toEqual({ ok: true, value: 'ok' });
  });

  it('stops at once when the caller aborts during a backoff wait, with the caller’s reason', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const { fn, calls } = scripted([httpError(503), httpError(503)], 'ok');
    const result = settle(
      retry({ clock, backoff: constantBackoff(10_000) }).execute(fn, { signal: controller.signal }),
    );
    await clock.flush();
    expect(calls).toHaveLength(1);
    const reason = new Error('user navigated away');
    controller.abort(reason);
    const settled = await result;
    expect(settled.ok).toBe(false);
    expect(!settled.ok && CancelledError.isInstance(settled.error)).toBe(true);
    expect(!settled.ok && settled.error.reason).toBe(reason);
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(20_000);
    expect(calls).toHaveLength(1);
  });

  it('rejects at once, without calling, when the caller’s signal is already aborted', async () => {
    const { fn, calls } = scripted([], 'ok');
    const result = await settle(retry().execute(fn, { signal: AbortSignal.abort('gone') }));
    expect(!result.ok && result.error.kind).toBe('cancelled');
    expect(!result.ok && result.error.outcome).toBe('not-sent');
    expect(calls).toHaveLength(0);
  });

  it('stops at once when the caller aborts during an attempt that ignores its signal', async () => {
    const controller = new AbortController();
    const result = settle(retry().execute(() => never<string>(), { signal: controller.signal }));
    controller.abort();
    const settled = await result;
    expect(!settled.ok && settled.error.kind).toBe('cancelled');
  });

  it('aborts the attempt’s own signal when the caller aborts', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const result = settle(
      retry().execute(
        ({ signal }) => {
          seen = signal;
          return never<string>();
        },
        { signal: controller.signal },
      ),
    );
    await Promise.resolve();
    controller.abort('stop');
    await result;
    expect(seen?.aborted).toBe(true);
    expect(CancelledError.isInstance(seen?.reason)).toBe(true);
  });

  it('fails now with a typed error when a delay would pass the total deadline', async () => {
    const clock = new FakeClock();
    const { fn, calls } = scripted([httpError(503), httpError(503)], 'ok');
    const policy = pipeline(timeout(1_000, { clock }), retry({ clock, backoff: constantBackoff(5_000) }));
    const settled = await settle(policy.execute(fn));
    expect(settled.ok).toBe(false);
    if (settled.ok) return;
    expect(TimeoutError.isInstance(settled.error)).toBe(true);
    expect(settled.error.scope).toBe('total');
    expect(settled.error.wouldWaitMs).toBe(5_000);
    expect(settled.error.cause.kind).toBe('unavailable');
    expect(settled.error.attempts).toBe(1);
    expect(calls).toHaveLength(1);
  });

  it('retries by result when asked, and returns the last result when attempts run out', async () => {
    let calls = 0;
    const policy = retry({
      backoff: constantBackoff(0),
      retryOnResult: (result) => result === 'pending',
      budget: false,
    });
    expect(await policy.execute(() => (++calls < 2 ? 'pending' : 'done'))).toBe('done');
    calls = 0;
    expect(
      await policy.execute(() => {
        calls++;
        return 'pending';
      }),
    ).toBe('pending');
    expect(calls).toBe(3);
  });

  it('retries only the kinds it is told to', async () => {
    const { fn, calls } = scripted([httpError(503)], 'ok');
    const result = await settle(retry({ backoff: constantBackoff(0), retryOn: ['server'] }).execute(fn));
    expect(result.ok).toBe(false);
    expect(calls).toHaveLength(1);
    const custom = scripted([httpError(404)], 'ok');
    const predicate = retry({ backoff: constantBackoff(0), retryOn: (error) => error.status === 404 });
    expect(await predicate.execute(custom.fn)).toBe('ok');
  });

  it('stops a retry storm: the budget caps retries across calls', async () => {
    const clock = new FakeClock();
    const policy = retry({
      clock,
      maxAttempts: 3,
      backoff: constantBackoff(0),
      budget: { ratio: 0, minRetriesPerSecond: 0, maxTokens: 4 },
    });
    let calls = 0;
    const failing = async () => {
      calls++;
      throw httpError(503);
    };
    for (let index = 0; index < 10; index++) await settle(policy.execute(failing));
    // 10 first attempts, plus the 4 retries the budget held.
    expect(calls).toBe(14);
    expect(policy.budgetAvailable).toBeLessThan(1);
  });

  it('refills the budget over time', async () => {
    const clock = new FakeClock();
    const policy = retry({
      clock,
      backoff: constantBackoff(0),
      budget: { ratio: 0, minRetriesPerSecond: 2, maxTokens: 2 },
    });
    const { fn } = scripted([httpError(503), httpError(503), httpError(503)], 'ok');
    await settle(policy.execute(fn));
    expect(policy.budgetAvailable).toBe(0);
    await clock.advance(500);
    expect(await settle(policy.execute(scripted([httpError(503)], 'ok').fn))).toEqual({
      ok: true,
      value: 'ok',
    });
  });

  it.each([
    [{ maxAttempts: 0 }, /maxAttempts must be an integer from 1 to 100; got 0/],
    [{ maxAttempts: 2.5 }, /maxAttempts must be an integer/],
    [{ maxAttempts: Number.NaN }, /maxAttempts/],
    [{ maxRetryAfterMs: -1 }, /maxRetryAfterMs must be a number from 0/],
    [{ maxRetryAfterMs: Number.POSITIVE_INFINITY }, /maxRetryAfterMs/],
    [{ retryOn: ['server', 'nope'] }, /retryOn lists "nope"/],
    [{ backoff: 5 }, /backoff must be a Backoff/],
    [{ budget: { ratio: 2 } }, /budget.ratio must be a number from 0 to 1; got 2/],
    [{ maxAttemps: 3 }, /unknown option "maxAttemps"/],
    [{ random: 'yes' }, /random must be a function/],
  ])('refuses bad options at construction: %j', (options, message) => {
    expect(() => retry(options as never)).toThrow(message);
  });

  it('rejects with a TypeError when execute is given no function', async () => {
    await expect(retry().execute(undefined as never)).rejects.toThrow(/must be a function/);
  });

  it('turns a synchronous throw into a classified rejection', async () => {
    const result = await settle(
      retry({ backoff: constantBackoff(0) }).execute(() => {
        throw new TypeError('bug');
      }),
    );
    expect(!result.ok && result.error.kind).toBe('unknown');
    expect(!result.ok && result.error.cause).toBeInstanceOf(TypeError);
  });
  describe('the outcome the caller gets speaks for the whole operation', () => {
    it('is unknown when an earlier attempt may have been applied, even if the last was refused', async () => {
      const { fn } = scripted([networkError('ECONNRESET'), httpError(503), httpError(503)], 'never');
      const result = await settle(
        retry({ backoff: constantBackoff(0) }).execute(fn, { idempotencyKey: 'k' }),
      );
      expect(!result.ok && result.error.kind).toBe('unavailable');
      expect(!result.ok && result.error.outcome).toBe('unknown');
    });

    it('is failed when every attempt was cleanly refused', async () => {
      const { fn } = scripted([httpError(503), httpError(503), httpError(503)], 'never');
      const result = await settle(retry({ backoff: constantBackoff(0) }).execute(fn));
      expect(!result.ok && result.error.outcome).toBe('failed');
    });

    it('is failed, not unknown, when the total timeout fires during a backoff after clean refusals', async () => {
      const clock = new FakeClock();
      const { fn } = scripted([httpError(503), httpError(503)], 'ok');
      const policy = pipeline(timeout(1_000, { clock }), retry({ clock, backoff: constantBackoff(900) }));
      const result = settle(policy.execute(fn));
      await clock.advance(1_000);
      const settled = await result;
      expect(!settled.ok && settled.error.kind).toBe('timeout');
      expect(!settled.ok && settled.error.outcome).toBe('failed');
    });

    it('is unknown when the total timeout cuts an attempt in flight', async () => {
      const clock = new FakeClock();
      const policy = pipeline(timeout(1_000, { clock }), retry({ clock }));
      const result = settle(policy.execute(() => never<string>()));
      await clock.advance(1_000);
      const settled = await result;
      expect(!settled.ok && settled.error.outcome).toBe('unknown');
    });

    it('keeps the cleanly refused outcome on a retry refused for the deadline', async () => {
      const clock = new FakeClock();
      const { fn } = scripted([httpError(503)], 'ok');
      const policy = pipeline(timeout(1_000, { clock }), retry({ clock, backoff: constantBackoff(5_000) }));
      const settled = await settle(policy.execute(fn));
      expect(!settled.ok && settled.error.wouldWaitMs).toBe(5_000);
      expect(!settled.ok && settled.error.outcome).toBe('failed');
    });
  });
});
