import { circuitBreaker } from '@resilient/core';
import { findSecret } from '@resilient/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisFleetEvent, type RedisFleetOptions, redisFleet } from '../src/index';
import { createClient, describeWithRedis, type RedisServer, startRedisServer } from './redis-server';
import { until } from './until';

/** A client that never connects: validation needs none, and nothing here sends a command. */
function idleClient(): Redis {
  return new Redis({ lazyConnect: true });
}

describe('redisFleet options', () => {
  const redis = idleClient();

  it.each([
    [undefined, TypeError, 'redisFleet: options must be an object; got undefined'],
    [
      { redis, colour: 'blue' },
      TypeError,
      'redisFleet: unknown option "colour"; accepted options are redis, prefix',
    ],
    [{}, TypeError, 'redisFleet: redis must be an ioredis client'],
    [{ redis: { evalsha() {}, eval() {} } }, TypeError, 'with evalsha, eval and duplicate; got an object'],
    [
      { redis, prefix: '' },
      TypeError,
      'redisFleet: prefix must be a non-empty string without whitespace; got ""',
    ],
    [
      { redis, prefix: 'my app' },
      TypeError,
      'prefix must be a non-empty string without whitespace; got "my app"',
    ],
    [
      { redis, commandTimeoutMs: 0 },
      RangeError,
      'redisFleet: commandTimeoutMs must be a number from 1 to 60000; got 0',
    ],
    [
      { redis, commandTimeoutMs: '200' },
      TypeError,
      'commandTimeoutMs must be a number from 1 to 60000; got "200"',
    ],
    [
      { redis, recheckMs: -1 },
      RangeError,
      'redisFleet: recheckMs must be a number from 0 to 3600000; got -1',
    ],
    [{ redis, recheckMs: Number.NaN }, RangeError, 'recheckMs must be a number from 0 to 3600000; got NaN'],
    [
      { redis, localLimitShare: 0 },
      RangeError,
      'localLimitShare must be a number greater than 0 and at most 1; got 0',
    ],
    [
      { redis, localLimitShare: 1.5 },
      RangeError,
      'localLimitShare must be a number greater than 0 and at most 1',
    ],
    [{ redis, failOpen: 'yes' }, TypeError, 'redisFleet: failOpen must be true or false; got "yes"'],
    [
      { redis, tripAfter: { failures: 0, windowMs: 1_000 } },
      RangeError,
      'tripAfter.failures must be an integer from 1 to 1000000; got 0',
    ],
    [{ redis, tripAfter: { failures: 5 } }, TypeError, 'redisFleet: tripAfter needs failures and windowMs'],
    [{ redis, tripAfter: { failures: 5, windowMs: 1_000, within: 3 } }, TypeError, 'unknown option "within"'],
    [{ redis, onEvent: 'log' }, TypeError, 'redisFleet: onEvent must be a function; got "log"'],
    [{ redis, clock: Date }, TypeError, 'redisFleet: clock must be an object with now(); got a function'],
    [{ redis, clock: {} }, TypeError, 'redisFleet: clock must be an object with now(); got an object'],
  ])('rejects %o at construction', (options, kind, message) => {
    const build = () => redisFleet(options as unknown as RedisFleetOptions);
    expect(build).toThrow(kind);
    expect(build).toThrow(message);
  });

  it('accepts the documented ranges and builds without touching Redis', () => {
    const fleet = redisFleet({
      redis,
      prefix: 'billing:eu',
      commandTimeoutMs: 60_000,
      recheckMs: 0,
      localLimitShare: 0.25,
      failOpen: false,
      onEvent: () => {},
      clock: { now: () => 0 },
    });
    expect(fleet.available).toBe(true);
    expect(redis.status).toBe('wait');
  });
});

describeWithRedis('redisFleet.close on a real redis-server', () => {
  let server: RedisServer;

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("closes the connections it opened for the breakers, not the user's client", async () => {
    const redis = createClient(server.url);
    const observer = createClient(server.url);
    try {
      const fleet = redisFleet({ redis });
      const connections = async () =>
        String(await observer.client('LIST'))
          .trim()
          .split('\n').length;
      await redis.ping();
      const before = await connections();
      fleet.joinCircuit('resend', () => {}, { probeLeaseMs: 1_000 });
      await until(
        async () => (await connections()) === before + 2,
        'the subscriber and the command connection',
      );
      await fleet.close();
      await until(async () => (await connections()) === before, 'the subscriber to close');
      expect(await redis.ping()).toBe('PONG');
      expect(() => fleet.joinCircuit('stripe', () => {}, { probeLeaseMs: 1_000 })).toThrow(
        'redisFleet: joinCircuit("stripe") after close(): build a new fleet',
      );
      expect(
        await fleet.reserve({ name: 'after-close', limit: 1, intervalMs: 1_000, burst: 1, maxWaitMs: 0 }),
      ).toEqual({
        allowed: true,
        waitMs: 0,
      });
    } finally {
      redis.disconnect();
      observer.disconnect();
    }
  });
});

describeWithRedis('redisFleet and the Redis password', () => {
  let server: RedisServer;
  const CANARY = 'canary-redis-s3cret';

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('never shows the password of the Redis URL: not in events, errors, the fleet or a breaker', async () => {
    // A wrong password (WRONGPASS), then a dead server: both failures must stay free of the password.
    const redis = createClient(`redis://default:${CANARY}@127.0.0.1:${server.port}`, {
      maxRetriesPerRequest: 0,
    });
    const events: RedisFleetEvent[] = [];
    const fleet = redisFleet({
      redis,
      commandTimeoutMs: 200,
      recheckMs: 0,
      onEvent: (event) => events.push(event),
    });
    try {
      const breaker = circuitBreaker({ name: 'resend', fleet });
      const bucket = { name: 'resend', limit: 5, intervalMs: 1_000, burst: 5, maxWaitMs: 0 };
      await fleet.reserve(bucket);
      await server.kill();
      await fleet.reserve(bucket);
      breaker.isolate();
      await until(() => events.length > 0, 'an unavailable event');
      for (const value of [events, fleet, breaker, breaker.snapshot()]) {
        expect(findSecret(value, CANARY)).toEqual([]);
      }
    } finally {
      await fleet.close();
      redis.disconnect();
      await server.restart();
    }
  });
});
