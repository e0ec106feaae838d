import { describe, expect, it } from 'vitest';
import { httpError, never, settle } from '../../../test/helpers';
import { FakeClock } from '../../clock/fake-clock';
import { TimeoutError } from '../../errors/timeout-error';
import { circuitBreaker } from '../breaker/circuit-breaker';
import { pipeline } from '../pipeline';
import { constantBackoff } from '../retry/backoff';
import { retry } from '../retry/retry';
import { timeout } from './timeout';

describe('timeout', () => {
  it('regression 6: a hung call fails with a timeout, and the breaker learns from it', async () => {
    const clock = new FakeClock();
    const breaker = circuitBreaker({ clock, strategy: { type: 'consecutive', threshold: 2 } });
    const policy = pipeline(breaker, timeout(1_000, { clock }));
    for (let call = 0; call < 2; call++) {
      const result = settle(policy.execute(() => never<string>()));
      await clock.advance(1_000);
      const settled = await result;
      expect(!settled.ok && TimeoutError.isInstance(settled.error)).toBe(true);
    }
    expect(breaker.state).toBe('open');
  });

  it('rejects at once when the time is up, even if the function ignores its signal', async () => {
    const clock = new FakeClock();
    const result = settle(timeout(500, { clock }).execute(() => never<string>()));
    await clock.advance(499);
    expect(result.settled()).toBeUndefined();
    await clock.advance(1);
    const settled = await result;
    expect(settled.ok).toBe(false);
    if (settled.ok) return;
    expect(settled.error.kind).toBe('timeout');
    expect(settled.error.scope).toBe('total');
    expect(settled.error.timeoutMs).toBe(500);
    expect(settled.error.outcome).toBe('unknown');
    expect(settled.error.message).toMatch(/Total timeout of 500 ms/);
  });

  it('aborts the attempt’s signal with the timeout error', async () => {
    const clock = new FakeClock();
    let signal: AbortSignal | undefined;
    const result = settle(
      timeout(100, { clock }).execute((context) => {
        signal = context.signal;
        return never<string>();
      }),
    );
    await clock.advance(100);
    await result;
    expect(signal?.aborted).toBe(true);
    expect(TimeoutError.isInstance(signal?.reason)).toBe(true);
  });

  it('says which timeout fired: attempt inside a retry, total outside it', async () => {
    const clock = new FakeClock();
    let attempts = 0;
    const policy = pipeline(
      timeout(2_500, { clock }),
      retry({ clock, backoff: constantBackoff(0), maxAttempts: 5 }),
      timeout(1_000, { clock }),
    );
    const result = settle(
      policy.execute(
        () => {
          attempts++;
          return never<string>();
        },
        { idempotent: true },
      ),
    );
    await clock.advance(1_000);
    expect(attempts).toBe(2);
    await clock.advance(1_000);
    expect(attempts).toBe(3);
    await clock.advance(500);
    const settled = await result;
    expect(!settled.ok && settled.error.scope).toBe('total');
    expect(!settled.ok && settled.error.timeoutMs).toBe(2_500);
    expect(attempts).toBe(3);
  });

  it('does not retry an attempt timeout of a call that is not idempotent', async () => {
    const clock = new FakeClock();
    let attempts = 0;
    const policy = pipeline(retry({ clock, backoff: constantBackoff(0) }), timeout(1_000, { clock }));
    const result = settle(
      policy.execute(() => {
        attempts++;
        return never<string>();
      }),
    );
    await clock.advance(1_000);
    const settled = await result;
    expect(!settled.ok && settled.error.scope).toBe('attempt');
    expect(attempts).toBe(1);
  });

  it('serves every call with one shared timer, set once and not per call', async () => {
    const clock = new FakeClock();
    const policy = timeout(1_000, { clock });
    for (let call = 0; call < 50; call++) expect(await policy.execute(async () => call)).toBe(call);
    expect(clock.pendingTimers).toBe(1);
    const pending = Array.from({ length: 20 }, () => settle(policy.execute(() => never<number>())));
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(1_000);
    const results = await Promise.all(pending);
    expect(results.every((result) => !result.ok && result.error.kind === 'timeout')).toBe(true);
  });

  it('times out calls that started at different times each at its own deadline', async () => {
    const clock = new FakeClock();
    const policy = timeout(1_000, { clock });
    const first = settle(policy.execute(() => never<string>()));
    await clock.advance(400);
    const second = settle(policy.execute(() => never<string>()));
    await clock.advance(600);
    expect((await first).ok).toBe(false);
    expect(second.settled()).toBeUndefined();
    await clock.advance(399);
    expect(second.settled()).toBeUndefined();
    await clock.advance(1);
    expect((await second).ok).toBe(false);
  });

  it('leaves no timer pending once calls are done and the last deadline passed', async () => {
    const clock = new FakeClock();
    const policy = timeout(1_000, { clock });
    await policy.execute(async () => 1);
    await clock.advance(1_000);
    expect(clock.pendingTimers).toBe(0);
  });

  it('passes results and errors through untouched in kind', async () => {
    const policy = timeout(1_000);
    expect(await policy.execute(async () => 'value')).toBe('value');
    const settled = await settle(policy.execute(async () => Promise.reject(httpError(503))));
    expect(!settled.ok && settled.error.kind).toBe('unavailable');
  });

  it.each([
    [0, /timeoutMs must be a number greater than 0/],
    [-5, /timeoutMs/],
    [Number.NaN, /timeoutMs/],
    [Number.POSITIVE_INFINITY, /timeoutMs/],
    ['10', /timeoutMs must be a number/],
  ])('refuses a timeout of %s at construction', (value, message) => {
    expect(() => timeout(value as never)).toThrow(message);
  });

  it('refuses an unknown scope', () => {
    expect(() => timeout(10, { scope: 'call' as never })).toThrow(/scope must be "attempt" or "total"/);
  });
});
