import type {
  CircuitFleet,
  CircuitFleetJoinOptions,
  CircuitFleetMember,
  CircuitFleetState,
  RateLimitBucket,
  RateLimitDecision,
  RateLimitFleet,
} from '@resilient/core';
import type { Redis } from 'ioredis';
import {
  checkKeys,
  checkObject,
  optionalBoolean,
  optionalFunction,
  optionalNumber,
  show,
} from './check-option';
import { FleetCircuits } from './fleet-circuits';
import { FleetConnection } from './fleet-connection';
import type { RedisFleetEvent } from './redis-fleet-event';
import { RedisRateLimit } from './redis-rate-limit';

/** Options of {@link redisFleet}. */
export interface RedisFleetOptions {
  /**
   * Your ioredis client. The fleet runs its scripts on it and never closes it; for the breakers'
   * notifications it opens one subscriber connection of its own (`redis.duplicate()`), which
   * {@link RedisFleet.close} closes.
   */
  readonly redis: Redis;
  /** The prefix of every key and channel the fleet uses. Default: `resilient`. No whitespace. */
  readonly prefix?: string;
  /**
   * How long one Redis command may take before the fleet stops waiting and answers from local state, in
   * ms: 1 to 60,000. Default: 200.
   */
  readonly commandTimeoutMs?: number;
  /**
   * After Redis failed, how long the fleet answers from local state without trying Redis, in ms: 0 to
   * 3,600,000. Then one command tries again. Default: 1,000. A dead server so costs no timeout per call.
   */
  readonly recheckMs?: number;
  /**
   * The fraction of each rate limit (and burst) a process allows itself while Redis is unavailable,
   * greater than 0 and at most 1. Set it to 1/N for N processes, so that together they stay near the
   * limit during an outage. Default: 1 (each process allows itself the whole limit).
   */
  readonly localLimitShare?: number;
  /**
   * What the fleet does while Redis is unavailable. `true` (the default): it fails open to local state,
   * so every process rate-limits on its own (at `localLimitShare`) and breakers probe on their own.
   * `false`: it fails closed, for a provider whose limit must never be exceeded: rate-limited calls are
   * refused (`RejectedError`, `retryAfterMs` = `recheckMs`), and open breakers stay open (no probe) until
   * Redis answers again. Breakers still open on local failures either way.
   */
  readonly failOpen?: boolean;
  /**
   * Trip a breaker when this many provider failures, counted by its processes together, fall within
   * `windowMs` of the first: for many instances that each see too few failures to trip on their own
   * (serverless, say). Each counted failure then costs one round trip; successes cost none. Each
   * breaker's own strategy still trips it too. Default: none (only the breakers' own strategies trip).
   * `failures`: an integer from 1 to 1,000,000; `windowMs`: 1 to 86,400,000.
   */
  readonly tripAfter?: { readonly failures: number; readonly windowMs: number };
  /** Called when Redis becomes unavailable and when it recovers. Its errors are caught and ignored. */
  readonly onEvent?: (event: RedisFleetEvent) => void;
  /** The clock of local state and of events. Default: `Date.now`. */
  readonly clock?: { now(): number };
}

/**
 * A fleet on Redis: pass it as the `fleet` option of core's `rateLimiter` and `circuitBreaker`, so that
 * every process of your fleet shares one bucket per limiter name and one state per breaker name.
 */
export interface RedisFleet extends RateLimitFleet, CircuitFleet {
  /** True while Redis answers; false from a failure until a later command succeeds. */
  readonly available: boolean;
  /**
   * Closes what the fleet opened (its subscriber connection), not your client. Breakers already joined
   * go on with their own state; rate limiting goes on through your client. No breaker may join after.
   */
  close(): Promise<void>;
}

const OWNER = 'redisFleet';
const noop = (): void => {};
const OPTION_NAMES = [
  'redis',
  'prefix',
  'commandTimeoutMs',
  'recheckMs',
  'localLimitShare',
  'failOpen',
  'tripAfter',
  'onEvent',
  'clock',
];

/**
 * One circuit breaker state and one rate-limit bucket per name for a whole fleet of processes, kept in
 * Redis: a rate-limit reservation is one Lua script run (GCRA, one round trip, on the server's clock); a
 * breaker's transitions go to the other processes through pub/sub. When Redis is down or slow, every
 * call is still answered, from local state (fail open), and `onEvent` reports the outage.
 *
 * @example
 * const fleet = redisFleet({ redis: new Redis(process.env.REDIS_URL!), localLimitShare: 1 / 4 });
 * const limiter = rateLimiter({ name: 'resend', limit: 5, maxWaitMs: 2_000, fleet });
 */
export function redisFleet(options: RedisFleetOptions): RedisFleet {
  const record = checkObject(OWNER, 'options', options);
  checkKeys(OWNER, record, OPTION_NAMES);
  const redis = checkRedis(record.redis);
  const prefix = checkPrefix(record.prefix);
  const commandTimeoutMs = optionalNumber(OWNER, 'commandTimeoutMs', record.commandTimeoutMs, 200, {
    min: 1,
    max: 60_000,
  });
  const recheckMs = optionalNumber(OWNER, 'recheckMs', record.recheckMs, 1_000, { min: 0, max: 3_600_000 });
  const localLimitShare = optionalNumber(OWNER, 'localLimitShare', record.localLimitShare, 1, {
    min: 0,
    max: 1,
    exclusiveMin: true,
  });
  const onEvent =
    optionalFunction<(event: RedisFleetEvent) => void>(OWNER, 'onEvent', record.onEvent) ?? noop;
  const failOpen = optionalBoolean(OWNER, 'failOpen', record.failOpen, true);
  const tripAfter = checkTripAfter(record.tripAfter);
  const now = checkClock(record.clock);
  const connection = new FleetConnection(redis, { commandTimeoutMs, recheckMs, onEvent, now });
  const rateLimit = new RedisRateLimit(connection, { prefix, localLimitShare, failOpen, recheckMs, now });
  let circuits: FleetCircuits | undefined;
  let closed = false;
  return {
    get available() {
      return connection.available;
    },
    reserve(bucket: RateLimitBucket): Promise<RateLimitDecision> {
      return rateLimit.reserve(bucket);
    },
    joinCircuit(
      name: string,
      onChange: (state: CircuitFleetState) => void,
      joinOptions: CircuitFleetJoinOptions,
    ): CircuitFleetMember {
      if (closed) throw new Error(`${OWNER}: joinCircuit("${name}") after close(): build a new fleet`);
      circuits ??= new FleetCircuits(connection, { prefix, failOpen, recheckMs, now, tripAfter });
      return circuits.join(name, onChange, joinOptions);
    },
    async close(): Promise<void> {
      closed = true;
      await circuits?.close();
    },
  };
}

function checkRedis(value: unknown): Redis {
  const client = value as Partial<Record<'evalsha' | 'eval' | 'duplicate', unknown>> | undefined;
  if (
    typeof client !== 'object' ||
    client === null ||
    typeof client.evalsha !== 'function' ||
    typeof client.eval !== 'function' ||
    typeof client.duplicate !== 'function'
  ) {
    throw new TypeError(
      `${OWNER}: redis must be an ioredis client (new Redis(url) from ioredis 6), with evalsha, eval and duplicate; got ${show(value)}`,
    );
  }
  return value as Redis;
}

function checkTripAfter(value: unknown): { failures: number; windowMs: number } | undefined {
  if (value === undefined) return undefined;
  const record = checkObject(OWNER, 'tripAfter', value);
  checkKeys(`${OWNER} tripAfter`, record, ['failures', 'windowMs']);
  if (record.failures === undefined || record.windowMs === undefined) {
    throw new TypeError(`${OWNER}: tripAfter needs failures and windowMs; got ${show(value)}`);
  }
  return Object.freeze({
    failures: optionalNumber(OWNER, 'tripAfter.failures', record.failures, 0, {
      min: 1,
      max: 1_000_000,
      integer: true,
    }),
    windowMs: optionalNumber(OWNER, 'tripAfter.windowMs', record.windowMs, 0, { min: 1, max: 86_400_000 }),
  });
}

function checkPrefix(value: unknown): string {
  if (value === undefined) return 'resilient';
  if (typeof value !== 'string' || value === '' || /\s/.test(value)) {
    throw new TypeError(`${OWNER}: prefix must be a non-empty string without whitespace; got ${show(value)}`);
  }
  return value;
}

function checkClock(value: unknown): () => number {
  if (value === undefined) return Date.now;
  const clock = value as { now?: unknown } | null;
  if (typeof clock !== 'object' || clock === null || typeof clock.now !== 'function') {
    throw new TypeError(`${OWNER}: clock must be an object with now(); got ${show(value)}`);
  }
  const read = clock.now as () => number;
  return () => read.call(clock);
}
