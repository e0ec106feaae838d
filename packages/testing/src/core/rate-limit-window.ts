/** A rate limit a fake enforces: at most `limit` requests per window. */
export interface RateLimitOptions {
  /** Requests allowed per window. */
  readonly limit: number;
  /** The window's length in milliseconds. Default: 1,000. */
  readonly windowMs?: number;
}

/** Where one request stands against the limit. */
export interface RateLimitDecision {
  /** Whether the request is within the limit. */
  readonly allowed: boolean;
  readonly limit: number;
  /** Requests left in the current window after this one. */
  readonly remaining: number;
  /** When the current window ends, in epoch milliseconds. */
  readonly resetAtMs: number;
}

/** A fixed-window counter: every request counts, allowed or not, as the providers count them. */
export class RateLimitWindow {
  readonly limit: number;
  readonly windowMs: number;
  private windowStart: number | undefined;
  private count = 0;

  constructor(
    options: RateLimitOptions,
    private readonly now: () => number,
  ) {
    if (!(Number.isInteger(options.limit) && options.limit >= 0)) {
      throw new RangeError(`rateLimit.limit must be a whole number >= 0, got ${String(options.limit)}`);
    }
    const windowMs = options.windowMs ?? 1_000;
    if (!(Number.isFinite(windowMs) && windowMs > 0)) {
      throw new RangeError(`rateLimit.windowMs must be > 0, got ${String(windowMs)}`);
    }
    this.limit = options.limit;
    this.windowMs = windowMs;
  }

  /** Counts one request and says whether it is allowed. */
  take(): RateLimitDecision {
    const now = this.now();
    if (this.windowStart === undefined || now >= this.windowStart + this.windowMs) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count++;
    return {
      allowed: this.count <= this.limit,
      limit: this.limit,
      remaining: Math.max(0, this.limit - this.count),
      resetAtMs: this.windowStart + this.windowMs,
    };
  }

  /** Starts a fresh window. */
  reset(): void {
    this.windowStart = undefined;
    this.count = 0;
  }
}
