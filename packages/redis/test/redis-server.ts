/**
 * The suites' real `redis-server`: `startRedisServer` from `@resilient/testing` (a child process on a
 * free port of 127.0.0.1, no persistence). Suites that need it use {@link describeWithRedis}, which skips
 * them, with one line saying why, where the binary is missing.
 */
import { redisServerAvailable, redisServerBinary } from '@resilient/testing';
import { Redis, type RedisOptions } from 'ioredis';
import { describe } from 'vitest';

export { type RedisServer, startRedisServer } from '@resilient/testing';

/** Whether `redis-server` can be run here. */
export const redisAvailable: boolean = redisServerAvailable();

/**
 * `describe` for a suite that needs a real Redis: skipped, with one line on the console naming the suite
 * and the reason, where `redis-server` is not installed.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (!redisAvailable) {
    console.warn(
      `[@resilient/redis] skipped the suite "${name}": ${redisServerBinary()} not found on PATH: install Debian's redis-server (apt-get install -y redis-server)`,
    );
  }
  describe.skipIf(!redisAvailable)(name, body);
}

/**
 * An ioredis client for a test, with an `error` listener (so ioredis does not print every failed
 * reconnection) and fast, steady reconnection unless `options` say otherwise.
 */
export function createClient(url: string, options: RedisOptions = {}): Redis {
  const client = new Redis(url, { retryStrategy: () => 50, ...options });
  client.on('error', () => {});
  return client;
}
