import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type GcraState, gcra, gcraDrainMs } from '../src/gcra';
import { GCRA_SCRIPT, gcraScriptArguments, readGcraReply } from '../src/gcra-script';
import { arrivalsArbitrary, bucketArbitrary, runModel } from './gcra-arbitraries';
import { createClient, describeWithRedis, type RedisServer, startRedisServer } from './redis-server';

/** Keys of these tests live long: expiry is checked on its own, not raced against a slow machine. */
const LONG_MARGIN_MS = 600_000;

describeWithRedis('the GCRA Lua script on a real redis-server', () => {
  let server: RedisServer;
  let redis: Redis;
  let keys = 0;
  const nextKey = () => `test:gcra:${++keys}`;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = createClient(server.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  async function runScript(key: string, bucket: Parameters<typeof gcraScriptArguments>[0], now?: number) {
    const reply = await GCRA_SCRIPT.evaluate(redis, [key], gcraScriptArguments(bucket, LONG_MARGIN_MS, now));
    const decision = readGcraReply(reply);
    if (decision === undefined) throw new Error(`unexpected reply ${JSON.stringify(reply)}`);
    return decision;
  }

  it('decides exactly like the model, to the stored state, over generated sequences', async () => {
    await fc.assert(
      fc.asyncProperty(bucketArbitrary, arrivalsArbitrary, async (bucket, arrivals) => {
        const key = nextKey();
        const model = runModel(bucket, arrivals);
        for (const [index, now] of arrivals.entries()) {
          const expected = model[index]!;
          const actual = await runScript(key, bucket, now);
          expect({ allowed: actual.allowed, waitMs: actual.waitMs }).toEqual({
            allowed: expected.allowed,
            waitMs: expected.waitMs,
          });
          if (expected.allowed) {
            expect(actual.state).toEqual({ start: expected.state!.start, taken: expected.state!.taken });
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('decides like the model when the rate of a bucket changes between calls', async () => {
    const slowBucket = { limit: 3, intervalMs: 1_000, burst: 2, maxWaitMs: 5_000 };
    const fastBucket = { ...slowBucket, limit: 7 };
    const key = nextKey();
    let state: GcraState | undefined;
    const now = 1_767_225_600_000;
    for (const [offset, bucket] of [
      [0, slowBucket],
      [0, slowBucket],
      [0, slowBucket],
      [10, fastBucket],
      [20, fastBucket],
      [30, slowBucket],
    ] as const) {
      const expected = gcra(state, now + offset, bucket);
      state = expected.state;
      const actual = await runScript(key, bucket, now + offset);
      expect(actual.allowed).toBe(expected.allowed);
      expect(actual.waitMs).toBe(expected.waitMs);
    }
  });

  it('stores the state in a hash that expires once the bucket is full again, plus the margin', async () => {
    const key = nextKey();
    const bucket = { limit: 10, intervalMs: 1_000, burst: 5, maxWaitMs: 10_000 };
    const now = 1_767_225_600_000;
    let state: GcraState | undefined;
    for (let call = 0; call < 8; call++) {
      state = gcra(state, now, bucket).state;
      await GCRA_SCRIPT.evaluate(redis, [key], gcraScriptArguments(bucket, 1_000, now));
    }
    expect(await redis.hgetall(key)).toEqual({ s: String(now), n: '8', e: '100' });
    const drainMs = gcraDrainMs(state!, now); // 8 slots of 100 ms
    expect(drainMs).toBe(800);
    const ttl = await redis.pttl(key);
    expect(ttl).toBeLessThanOrEqual(drainMs + 1_000);
    expect(ttl).toBeGreaterThan(drainMs + 1_000 - 5_000); // a loaded machine may take a while to ask
  });

  it("uses the server's clock (TIME) when now is not given", async () => {
    const key = nextKey();
    const bucket = { limit: 1, intervalMs: 60_000, burst: 1, maxWaitMs: 0 };
    const before = await serverTime();
    const first = await runScript(key, bucket);
    const after = await serverTime();
    expect(first).toMatchObject({ allowed: true, waitMs: 0, state: { taken: 1 } });
    expect(first.state!.start).toBeGreaterThanOrEqual(before);
    expect(first.state!.start).toBeLessThanOrEqual(after);
    expect(Number.isInteger(first.state!.start)).toBe(true);
    const second = await runScript(key, bucket);
    const elapsed = (await serverTime()) - first.state!.start;
    expect(second.allowed).toBe(false);
    expect(second.waitMs).toBeLessThanOrEqual(60_000);
    expect(second.waitMs).toBeGreaterThanOrEqual(60_000 - elapsed);
  });

  it('reloads itself after the server forgot it (SCRIPT FLUSH): one EVAL, then EVALSHA again', async () => {
    const bucket = { limit: 1, intervalMs: 1_000, burst: 1, maxWaitMs: 0 };
    await redis.script('FLUSH');
    await redis.config('RESETSTAT');
    await runScript(nextKey(), bucket);
    await runScript(nextKey(), bucket);
    const stats = await redis.info('commandstats');
    expect(calls(stats, 'eval')).toBe(1);
    expect(calls(stats, 'evalsha')).toBe(2); // the first answered NOSCRIPT
  });

  async function serverTime(): Promise<number> {
    const [seconds, micros] = (await redis.time()) as unknown as [string | number, string | number];
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  }
});

/** The `calls=` of one command in `INFO commandstats`. */
function calls(stats: string, command: string): number {
  const match = new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(stats);
  return match ? Number(match[1]) : 0;
}
