import { afterEach, describe, expect, it, vi } from 'vitest';
import { settle } from '../../test/helpers';
import { FakeClock } from '../clock/fake-clock';
import { RejectedError } from '../errors/rejected-error';
import { onPluginError } from '../hooks/plugin-registry';
import type { RateLimitBucket, RateLimitDecision, RateLimitFleet } from './rate-limit-fleet';
import { rateLimiter } from './rate-limiter';
import { resilient } from './resilient';

afterEach(() => {
  onPluginError(undefined);
});

/** A fleet that answers from a script and records what it was asked. */
function scriptedFleet(...answers: (RateLimitDecision | Error | unknown)[]) {
  const buckets: RateLimitBucket[] = [];
  const fleet: RateLimitFleet = {
    reserve: vi.fn(async (bucket: RateLimitBucket) => {
      buckets.push(bucket);
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer as RateLimitDecision;
    }),
  };
  return { fleet, buckets };
}

describe('rateLimiter with a fleet', () => {
  it('should reserve once per call with one bucket built at construction, and go at once when told so', async () => {
    const { fleet, buckets } = scriptedFleet({ allowed: true, waitMs: 0 }, { allowed: true, waitMs: 0 });
    const policy = rateLimiter({ service: 'resend', limit: 2, intervalMs: 1000, maxWaitMs: 500, fleet });
    expect(await policy.execute(async () => 'a')).toBe('a');
    expect(await policy.execute(async () => 'b')).toBe('b');
    expect(buckets).toHaveLength(2);
    expect(buckets[0]).toBe(buckets[1]);
    expect(buckets[0]).toEqual({ name: 'resend', limit: 2, intervalMs: 1000, burst: 2, maxWaitMs: 500 });
    expect(Object.isFrozen(buckets[0])).toBe(true);
  });

  it('should wait the reserved slot on its clock before calling', async () => {
    const clock = new FakeClock();
    const { fleet } = scriptedFleet({ allowed: true, waitMs: 300 });
    const policy = rateLimiter({ name: 'emails', limit: 5, maxWaitMs: 1000, clock, fleet });
    const fn = vi.fn(async () => 'sent');
    const result = settle(policy.execute(fn));
    await clock.advance(299);
    expect(fn).not.toHaveBeenCalled();
    await clock.advance(1);
    expect(await result).toEqual({ ok: true, value: 'sent' });
  });

  it("should reject with the fleet's retryAfterMs when no slot fits in maxWaitMs", async () => {
    const { fleet } = scriptedFleet({ allowed: false, waitMs: 1200 });
    const policy = rateLimiter({ service: 'resend', limit: 5, fleet });
    const fn = vi.fn(async () => 'sent');
    const result = await settle(policy.execute(fn));
    expect(fn).not.toHaveBeenCalled();
    expect(result.ok ? undefined : RejectedError.isInstance(result.error)).toBe(true);
    expect(result.ok ? 0 : result.error.retryAfterMs).toBe(1200);
    expect(result.ok ? '' : result.error.kind).toBe('rate-limiter-rejected');
    expect(result.ok ? '' : result.error.message).toMatch(/Rate limit of 5 per 1000 ms reached for resend/);
  });

  it("should put the fleet's reason for a refusal in the message", async () => {
    const { fleet } = scriptedFleet({ allowed: false, waitMs: 1000, reason: 'Redis is unavailable' });
    const policy = rateLimiter({ service: 'resend', limit: 5, fleet });
    const result = await settle(policy.execute(async () => 'sent'));
    expect(result.ok ? '' : result.error.message).toBe(
      'The resend rate limiter refused the call: Redis is unavailable; try again in 1000 ms',
    );
  });

  it("should fall back to this process's bucket, and report it, when the fleet breaks its contract", async () => {
    const reported: string[] = [];
    onPluginError((_error, plugin) => reported.push(plugin.name));
    const clock = new FakeClock();
    const { fleet } = scriptedFleet(new Error('store down'), { allowed: 'yes', waitMs: -1 }, undefined);
    const policy = rateLimiter({ name: 'emails', limit: 2, clock, fleet });
    expect(await policy.execute(async () => 1)).toBe(1);
    expect(await policy.execute(async () => 2)).toBe(2);
    const third = await settle(policy.execute(async () => 3));
    expect(third.ok ? 0 : third.error.retryAfterMs).toBe(500); // the local bucket of 2 per second is empty
    expect(reported).toEqual([
      'emails rate-limit fleet',
      'emails rate-limit fleet',
      'emails rate-limit fleet',
    ]);
  });

  it('should end a wait for a fleet slot when the caller aborts', async () => {
    const clock = new FakeClock();
    const { fleet } = scriptedFleet({ allowed: true, waitMs: 10_000 });
    const policy = rateLimiter({ limit: 1, maxWaitMs: 60_000, clock, fleet });
    const controller = new AbortController();
    const fn = vi.fn(async () => 'late');
    const result = settle(policy.execute(fn, { signal: controller.signal }));
    await clock.flush();
    controller.abort();
    expect((await result).ok).toBe(false);
    expect(fn).not.toHaveBeenCalled();
    expect(clock.pendingTimers).toBe(0);
  });

  it('should end a call whose caller aborts while the fleet decides, without falling back or reporting', async () => {
    const reported: unknown[] = [];
    onPluginError((error) => reported.push(error));
    const fleet: RateLimitFleet = { reserve: () => new Promise<RateLimitDecision>(() => {}) };
    const policy = rateLimiter({ limit: 1, fleet });
    const controller = new AbortController();
    const fn = vi.fn(async () => 'sent');
    const result = settle(policy.execute(fn, { signal: controller.signal }));
    controller.abort();
    const settled = await result;
    expect(settled.ok ? '' : settled.error.kind).toBe('cancelled');
    expect(fn).not.toHaveBeenCalled();
    expect(reported).toEqual([]);
  });

  it('should take the fleet through resilient() and its one-loop runner', async () => {
    const { fleet, buckets } = scriptedFleet({ allowed: true, waitMs: 0 });
    const policy = resilient({ service: 'resend', rateLimit: { limit: 2, fleet } });
    expect(await policy.execute(async () => 'ok')).toBe('ok');
    expect(buckets[0]?.name).toBe('resend');
  });

  it('should refuse a fleet without reserve at construction', () => {
    expect(() => rateLimiter({ limit: 1, fleet: {} as RateLimitFleet })).toThrow(
      /rateLimiter: fleet must have reserve\(bucket\)/,
    );
  });
});
