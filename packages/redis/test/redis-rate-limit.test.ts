import type { RateLimitBucket, RateLimitDecision } from '@resilient/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { type RedisFleet, type RedisFleetEvent, redisFleet } from '../src/index';
import { createClient, describeWithRedis, type RedisServer, startRedisServer } from './redis-server';
import { until } from './until';

function bucket(name: string, options: Partial<RateLimitBucket> = {}): RateLimitBucket {
  return { name, limit: 1, intervalMs: 60_000, burst: 1, maxWaitMs: 0, ...options };
}

describeWithRedis('redisFleet rate limiting on a real redis-server', () => {
  let server: RedisServer;
  const clients: Redis[] = [];
  const fleets: RedisFleet[] = [];
  let names = 0;
  /** A bucket name of its own for each test. */
  const nextName = () => `bucket-${++names}`;

  function client(url = server.url, options = {}): Redis {
    const redis = createClient(url, options);
    clients.push(redis);
    return redis;
  }

  function fleet(
    options: Omit<Parameters<typeof redisFleet>[0], 'redis'> & { redis?: Redis } = {},
  ): RedisFleet {
    const created = redisFleet({ redis: options.redis ?? client(), prefix: 'test', ...options });
    fleets.push(created);
    return created;
  }

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterEach(async () => {
    await Promise.all(fleets.splice(0).map((created) => created.close()));
    for (const redis of clients.splice(0)) redis.disconnect();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reserves from the bucket in Redis: the burst at once, then a rejection with the time to a slot', async () => {
    const shared = fleet();
    const resend = bucket(nextName(), { burst: 2 });
    const started = Date.now();
    const decisions = [
      await shared.reserve(resend),
      await shared.reserve(resend),
      await shared.reserve(resend),
    ];
    const elapsed = Date.now() - started;
    expect(decisions.slice(0, 2)).toEqual([
      { allowed: true, waitMs: 0 },
      { allowed: true, waitMs: 0 },
    ]);
    expect(decisions[2]!.allowed).toBe(false);
    // Two slots of a minute: the third is 60 s after the first, less the time the calls took.
    expect(decisions[2]!.waitMs).toBeLessThanOrEqual(60_000);
    expect(decisions[2]!.waitMs).toBeGreaterThanOrEqual(60_000 - elapsed - 1);
    const redis = client();
    expect(await redis.exists(`test:rate:${resend.name}`)).toBe(1);
    expect(await redis.pttl(`test:rate:${resend.name}`)).toBeGreaterThan(60_000);
  });

  it('shares one bucket between processes: their slots interleave one emission interval apart', async () => {
    const first = fleet();
    const second = fleet();
    const shared = bucket(nextName(), { limit: 10, intervalMs: 1_000, maxWaitMs: 10_000 });
    const started = Date.now();
    const waits: number[] = [];
    for (let call = 0; call < 6; call++)
      waits.push((await (call % 2 ? second : first).reserve(shared)).waitMs);
    const elapsed = Date.now() - started;
    waits.forEach((waitMs, index) => {
      expect(waitMs).toBeLessThanOrEqual(index * 100);
      expect(waitMs).toBeGreaterThanOrEqual(index * 100 - elapsed - 1);
    });
    // Another prefix is another fleet: its bucket is untouched.
    expect(await fleet({ prefix: 'other' }).reserve(shared)).toEqual({ allowed: true, waitMs: 0 });
  });

  it('costs one round trip per reservation', async () => {
    const redis = client();
    const shared = fleet({ redis });
    const resend = bucket(nextName(), { limit: 1_000, burst: 1_000 });
    await shared.reserve(resend); // the script is loaded
    const monitor = await client().monitor();
    const seen: { command: string; source: string }[] = [];
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      seen.push({ command: String(args[0]).toLowerCase(), source });
    });
    for (let call = 0; call < 20; call++) await shared.reserve(resend);
    await redis.echo('done');
    await until(() => seen.some((entry) => entry.command === 'echo'), 'MONITOR to show the marker');
    monitor.disconnect();
    const fromClient = seen.filter((entry) => entry.source !== 'lua' && entry.command !== 'echo');
    expect(fromClient.map((entry) => entry.command)).toEqual(Array.from({ length: 20 }, () => 'evalsha'));
  });

  it('answers from local state within commandTimeoutMs when Redis dies, then shares again after it is back', async () => {
    const crashing = await startRedisServer();
    try {
      let now = 1_767_225_600_000;
      const events: RedisFleetEvent[] = [];
      const redis = client(crashing.url);
      const shared = fleet({
        redis,
        commandTimeoutMs: 300,
        recheckMs: 1_000,
        localLimitShare: 0.5,
        clock: { now: () => now },
        onEvent: (event) => events.push(event),
      });
      const resend = bucket(nextName(), { limit: 2, burst: 4 });
      expect(await shared.reserve(resend)).toEqual({ allowed: true, waitMs: 0 });
      await crashing.kill();

      // A local bucket at half the limit and half the burst: 1 per minute, 2 at once.
      expect(await shared.reserve(resend)).toEqual({ allowed: true, waitMs: 0 });
      expect(shared.available).toBe(false);
      // Usually the timeout (ioredis queues the command while it reconnects); a write may fail first.
      const failure =
        /gcra: no reply within 300 ms|the Redis connection is down|Connection is closed|ECONNREFUSED|ECONNRESET|EPIPE/;
      expect(events).toEqual([{ type: 'unavailable', error: expect.stringMatching(failure), at: now }]);
      const sent = vi.spyOn(redis, 'evalsha');
      const decisions: RateLimitDecision[] = [];
      for (let call = 0; call < 50; call++) decisions.push(await shared.reserve(resend));
      // In the recheck cool-down no call even tries Redis, so none waits for a timeout.
      expect(sent).not.toHaveBeenCalled();
      expect(decisions[0]).toEqual({ allowed: true, waitMs: 0 });
      expect(decisions[1]).toEqual({ allowed: false, waitMs: 60_000 });
      expect(events).toHaveLength(1);

      await crashing.restart();
      const outageStart = now;
      await until(async () => {
        now += 1_000; // each attempt is past the cool-down, so one command tries Redis again
        await shared.reserve(resend);
        return shared.available;
      }, 'the fleet to reach Redis again');
      expect(events.map((event) => event.type)).toEqual(['unavailable', 'recovered']);
      expect(events[1]).toEqual({ type: 'recovered', unavailableForMs: now - outageStart, at: now });
      // Shared again: the restarted, empty Redis holds the bucket now.
      expect(await client(crashing.url).exists(`test:rate:${resend.name}`)).toBe(1);
    } finally {
      await crashing.stop();
    }
  });

  it('refuses, saying why, while Redis is unavailable and the fleet fails closed', async () => {
    const crashing = await startRedisServer();
    try {
      const shared = fleet({
        redis: client(crashing.url),
        commandTimeoutMs: 100,
        recheckMs: 5_000,
        failOpen: false,
      });
      const resend = bucket(nextName(), { limit: 100, burst: 100 });
      expect(await shared.reserve(resend)).toEqual({ allowed: true, waitMs: 0 });
      await crashing.kill();
      const refused = {
        allowed: false,
        waitMs: 5_000,
        reason: 'Redis is unavailable and the fleet fails closed (failOpen: false)',
      };
      expect(await shared.reserve(resend)).toEqual(refused);
      expect(await shared.reserve(resend)).toEqual(refused);
    } finally {
      await crashing.stop();
    }
  });

  it('never hangs or rejects while a stopped server has ioredis queueing and reconnecting', async () => {
    const stopped = await startRedisServer();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      // ioredis's defaults: an offline queue, 20 retries per request, reconnection with backoff.
      const redis = new Redis(stopped.url);
      redis.on('error', () => {});
      const shared = fleet({ redis, commandTimeoutMs: 100, recheckMs: 0 });
      const resend = bucket(nextName(), { limit: 100, intervalMs: 1_000, burst: 5, maxWaitMs: 10_000 });
      expect(await shared.reserve(resend)).toEqual({ allowed: true, waitMs: 0 });
      await stopped.stop();
      const started = Date.now();
      const settled = await Promise.allSettled(Array.from({ length: 30 }, () => shared.reserve(resend)));
      for (let call = 0; call < 5; call++)
        settled.push(...(await Promise.allSettled([shared.reserve(resend)])));
      expect(settled.every((result) => result.status === 'fulfilled')).toBe(true);
      // Every call tried Redis (recheckMs 0) and gave up after 100 ms: a few timeouts' worth, not ioredis's minutes.
      expect(Date.now() - started).toBeLessThan(3_000);
      const waits = settled.map((result) => (result.status === 'fulfilled' ? result.value.waitMs : -1));
      // The local bucket (at the whole limit: localLimitShare 1) continues the burst, one slot per 10 ms.
      expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
      expect(waits[5]).toBeGreaterThan(0);
      expect(waits[5]).toBeLessThanOrEqual(10);
      // The commands still queued in ioredis reject when the client closes: nobody sees them.
      redis.disconnect();
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
