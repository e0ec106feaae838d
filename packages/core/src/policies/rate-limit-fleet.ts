/** A rate limiter's bucket, as a {@link RateLimitFleet} sees it: built once per limiter. */
export interface RateLimitBucket {
  /** The limiter's name: the key of the shared bucket. */
  readonly name: string;
  /** Calls allowed per interval, on average. */
  readonly limit: number;
  /** The interval, in milliseconds. */
  readonly intervalMs: number;
  /** Calls allowed in one burst after a quiet spell. */
  readonly burst: number;
  /** The longest a call may wait for its slot, in milliseconds. */
  readonly maxWaitMs: number;
}

/** A fleet's answer to one reservation. */
export interface RateLimitDecision {
  /** Whether a slot was reserved. */
  readonly allowed: boolean;
  /**
   * When allowed: milliseconds to wait before the reserved slot (0: go now). When not: milliseconds
   * until a slot could be had, for the rejection's `retryAfterMs`.
   */
  readonly waitMs: number;
  /**
   * Why no slot was reserved, when it is not the limit (the fleet's store is unavailable and the fleet
   * fails closed, say): it replaces "rate limit reached" in the rejection's message.
   */
  readonly reason?: string;
}

/**
 * Shares rate limiters' buckets across the processes of a fleet, so that together they stay under a
 * provider's limit. `@resilient/redis` implements it on Redis; `memoryFleet()` in
 * `@resilient/core/testing` in memory.
 */
export interface RateLimitFleet {
  /**
   * Reserves the next slot of `bucket`, unless the wait for it would exceed `bucket.maxWaitMs` (then
   * nothing is reserved). Each caller gets a slot of its own, so waiting callers never stampede. It
   * must not reject: a fleet that cannot decide (its store is down) answers from local state.
   */
  reserve(bucket: RateLimitBucket): Promise<RateLimitDecision>;
}
