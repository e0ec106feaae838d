import { describe, expect, it } from 'vitest';
import { settle } from '../../test/helpers';
import { FakeClock } from '../clock/fake-clock';
import { RejectedError } from '../errors/rejected-error';
import { rateLimiter } from './rate-limiter';

describe('rateLimiter', () => {
  it('lets a burst through, then rejects with the time until the next token', async () => {
    const clock = new FakeClock();
    const policy = rateLimiter({ limit: 5, intervalMs: 1_000, clock });
    for (let call = 0; call < 5; call++) expect(await policy.execute(async () => call)).toBe(call);
    const settled = await settle(policy.execute(async () => 'too many'));
    expect(!settled.ok && RejectedError.isInstance(settled.error)).toBe(true);
    expect(!settled.ok && settled.error.kind).toBe('rate-limiter-rejected');
    expect(!settled.ok && settled.error.retryAfterMs).toBe(200);
    await clock.advance(200);
    expect(await policy.execute(async () => 'again')).toBe('again');
  });

  it('makes callers wait their turn, in arrival order, up to maxWaitMs', async () => {
    const clock = new FakeClock();
    const policy = rateLimiter({ limit: 2, intervalMs: 1_000, burst: 1, maxWaitMs: 1_000, clock });
    const order: number[] = [];
    const calls = [0, 1, 2].map((index) => settle(policy.execute(async () => order.push(index))));
    await clock.flush();
    expect(order).toEqual([0]);
    await clock.advance(499);
    expect(order).toEqual([0]);
    await clock.advance(1);
    expect(order).toEqual([0, 1]);
    await clock.advance(500);
    expect(order).toEqual([0, 1, 2]);
    expect((await Promise.all(calls)).every((result) => result.ok)).toBe(true);
  });

  it('rejects a caller that would wait longer than maxWaitMs', async () => {
    const clock = new FakeClock();
    const policy = rateLimiter({ limit: 1, intervalMs: 1_000, maxWaitMs: 500, clock });
    await policy.execute(async () => 1);
    const settled = await settle(policy.execute(async () => 2));
    expect(!settled.ok && settled.error.retryAfterMs).toBe(1_000);
    expect(clock.pendingTimers).toBe(0);
  });

  it('gives a reserved token back when the waiting caller aborts', async () => {
    const clock = new FakeClock();
    const policy = rateLimiter({ limit: 1, intervalMs: 1_000, maxWaitMs: 5_000, clock });
    await policy.execute(async () => 1);
    const controller = new AbortController();
    const waiting = settle(policy.execute(async () => 2, { signal: controller.signal }));
    await clock.flush();
    expect(policy.available).toBeCloseTo(-1);
    controller.abort();
    expect((await waiting).ok).toBe(false);
    expect(policy.available).toBeCloseTo(0);
  });

  it.each([
    [{ limit: 0 }, /limit must be a number greater than 0/],
    [{ limit: 5, intervalMs: 0 }, /intervalMs must be a number from 1/],
    [{ limit: 5, maxWaitMs: -1 }, /maxWaitMs/],
    [{}, /limit must be a number/],
  ])('refuses bad options: %j', (options, message) => {
    expect(() => rateLimiter(options as never)).toThrow(message);
  });
});
