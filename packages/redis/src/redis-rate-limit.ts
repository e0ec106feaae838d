import type { RateLimitBucket, RateLimitDecision, RateLimitFleet } from '@resilient/core';
import { type FleetConnection, UNAVAILABLE } from './fleet-connection';
import { type GcraBucket, type GcraState, gcra } from './gcra';
import { GCRA_SCRIPT, gcraScriptArguments, readGcraDecision } from './gcra-script';

/** A limiter's key, script arguments and local bucket, built once. */
interface Prepared {
  readonly keys: string[];
  readonly args: string[];
  readonly local: GcraBucket;
}

/** How long a bucket's key outlives the moment its bucket is full again, in ms. */
const TTL_MARGIN_MS = 1_000;

/** Options of {@link RedisRateLimit}. */
export interface RedisRateLimitOptions {
  /** The prefix of every key: a bucket lives at `${prefix}:rate:${name}`. */
  readonly prefix: string;
  /** The fraction of each limit this process allows itself while Redis is unavailable (0 < x <= 1). */
  readonly localLimitShare: number;
  /** Whether to answer from local buckets while Redis is unavailable (else: refuse). */
  readonly failOpen: boolean;
  /** How long the fleet leaves Redis alone after a failure: a refusal's `waitMs` when failing closed. */
  readonly recheckMs: number;
  /** The clock of the local buckets, in epoch ms. */
  readonly now: () => number;
}

/**
 * @internal The rate-limit side of a Redis fleet: every reservation is one run of the GCRA script (one
 * round trip), against the bucket all processes share. While Redis is unavailable each process answers
 * from a local bucket per name, at `localLimitShare` of the limit and of the burst, so that N processes
 * with a share of 1/N together stay near the limit. It never rejects.
 */
export class RedisRateLimit implements RateLimitFleet {
  private readonly connection: FleetConnection;
  private readonly options: RedisRateLimitOptions;
  /** The local buckets, by name, for when Redis is unavailable. */
  private readonly local = new Map<string, GcraState>();
  /** Each limiter's key and script arguments, built on its first call (core builds a bucket once). */
  private readonly prepared = new WeakMap<RateLimitBucket, Prepared>();
  private readonly refusal: RateLimitDecision;

  constructor(connection: FleetConnection, options: RedisRateLimitOptions) {
    this.connection = connection;
    this.options = options;
    this.refusal = Object.freeze({
      allowed: false,
      waitMs: Math.max(1, options.recheckMs),
      reason: 'Redis is unavailable and the fleet fails closed (failOpen: false)',
    });
  }

  /** Reserves the next slot of `bucket` in Redis, or in this process's own bucket while Redis is down. */
  async reserve(bucket: RateLimitBucket): Promise<RateLimitDecision> {
    const prepared = this.prepared.get(bucket) ?? this.prepare(bucket);
    const reply = await this.connection.run(GCRA_SCRIPT, prepared.keys, prepared.args);
    const decision = reply === UNAVAILABLE ? undefined : readGcraDecision(reply);
    if (decision !== undefined) return decision;
    return this.options.failOpen ? this.reserveLocally(bucket, prepared.local) : this.refusal;
  }

  /** What a limiter's calls need, built on its first call (core builds a bucket once per limiter). */
  private prepare(bucket: RateLimitBucket): Prepared {
    const share = this.options.localLimitShare;
    const prepared: Prepared = {
      keys: [`${this.options.prefix}:rate:${bucket.name}`],
      args: gcraScriptArguments(bucket, TTL_MARGIN_MS),
      // The local bucket while Redis is down: its share of the limit and of the burst.
      local: {
        limit: bucket.limit * share,
        intervalMs: bucket.intervalMs,
        burst: Math.max(1, bucket.burst * share),
        maxWaitMs: bucket.maxWaitMs,
      },
    };
    this.prepared.set(bucket, prepared);
    return prepared;
  }

  private reserveLocally(bucket: RateLimitBucket, local: GcraBucket): RateLimitDecision {
    const result = gcra(this.local.get(bucket.name), this.options.now(), local);
    if (result.state !== undefined) this.local.set(bucket.name, result.state);
    return { allowed: result.allowed, waitMs: result.waitMs };
  }
}
