import { RejectedError } from '../errors/rejected-error';
import { emit } from '../hooks/plugin-set';
import type { AttemptFunction, Execution } from '../internal/execution';
import { rejectLater } from '../internal/reject-later';
import { checkKeys, checkNumber, checkObject, optionalNumber } from '../internal/validate';
import { failure, type Link, PolicyBase, type PolicyOptions, proceed, resolvePolicyOptions } from './policy';

/** Options of {@link rateLimiter}. */
export interface RateLimiterOptions extends PolicyOptions {
  /** Calls allowed per interval, on average. */
  limit: number;
  /** The interval, in milliseconds. Default: 1,000. */
  intervalMs?: number;
  /** Calls allowed in one burst after a quiet spell. Default: `limit`. */
  burst?: number;
  /**
   * How long a call may wait for its turn, in milliseconds; a call that would wait longer is rejected at
   * once with a `RejectedError` (`rate-limiter-rejected`) carrying `retryAfterMs`. Default: 0 (never wait).
   */
  maxWaitMs?: number;
}

const KEYS = [
  'limit',
  'intervalMs',
  'burst',
  'maxWaitMs',
  'service',
  'operation',
  'idempotent',
  'plugins',
  'clock',
];

/**
 * A client-side token bucket, so you stay under a provider's limit (Resend's 5 requests per second, say)
 * instead of collecting 429s. Waiting calls are served in arrival order: each reserves its token, so
 * nobody overtakes and no herd forms at a refill. No timer runs unless a call waits.
 */
export function rateLimiter(options: RateLimiterOptions): RateLimiterPolicy {
  return new RateLimiterPolicy(options);
}

/** The policy {@link rateLimiter} builds. */
export class RateLimiterPolicy extends PolicyBase {
  readonly limit: number;
  readonly intervalMs: number;
  readonly burst: number;
  readonly maxWaitMs: number;
  private readonly perMs: number;
  private tokens: number;
  private lastRefill: number;

  constructor(options: RateLimiterOptions) {
    const record = checkObject('rateLimiter', 'options', options);
    checkKeys('rateLimiter', record, KEYS);
    super(resolvePolicyOptions('rateLimiter', options));
    this.limit = checkNumber('rateLimiter', 'limit', options.limit, {
      min: 0,
      max: 1_000_000_000,
      exclusiveMin: true,
    });
    this.intervalMs = optionalNumber('rateLimiter', 'intervalMs', options.intervalMs, 1000, {
      min: 1,
      max: 86_400_000,
    });
    this.burst = optionalNumber('rateLimiter', 'burst', options.burst, Math.max(1, this.limit), {
      min: 1,
      max: 1_000_000_000,
    });
    this.maxWaitMs = optionalNumber('rateLimiter', 'maxWaitMs', options.maxWaitMs, 0, {
      min: 0,
      max: 2_147_483_647,
    });
    this.perMs = this.limit / this.intervalMs;
    this.tokens = this.burst;
    this.lastRefill = this.config.clock.now();
  }

  /** Tokens available now (negative while calls wait for reserved tokens). */
  get available(): number {
    this.refill(this.config.clock.now());
    return this.tokens;
  }

  /** @internal */
  async run<T>(fn: AttemptFunction<T>, execution: Execution, next: Link | undefined): Promise<T> {
    let waiting: Promise<void> | undefined;
    try {
      waiting = this.take(execution);
    } catch (raw) {
      return rejectLater(failure(raw, execution));
    }
    try {
      if (waiting !== undefined) await waiting;
      return await proceed(fn, execution, next);
    } catch (raw) {
      throw failure(raw, execution);
    }
  }

  /** @internal Takes a token, waiting for it up to `maxWaitMs`; no promise is made unless it must wait. */
  take(execution: Execution): Promise<void> | undefined {
    const clock = this.config.clock;
    const now = clock.now();
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
    } else {
      const waitMs = Math.ceil((1 - this.tokens) / this.perMs);
      if (waitMs > this.maxWaitMs) {
        const error = new RejectedError({
          rejectedBy: 'rate-limiter',
          message: `Rate limit of ${this.limit} per ${this.intervalMs} ms reached${execution.service ? ` for ${execution.service}` : ''}; next slot in ${waitMs} ms`,
          service: execution.service,
          retryAfterMs: waitMs,
        });
        if (execution.plugins !== undefined)
          emit(execution.plugins, 'onRejected', {
            operation: execution.info,
            rejectedBy: 'rate-limiter',
            error,
          });
        throw error;
      }
      this.tokens -= 1;
      return execution.sleep(waitMs, clock).catch((error: unknown) => {
        this.tokens += 1; // give the reserved token back
        throw error;
      });
    }
    return undefined;
  }

  private refill(now: number): void {
    const elapsed = now - this.lastRefill;
    if (elapsed <= 0) return;
    this.lastRefill = now;
    const tokens = this.tokens + elapsed * this.perMs;
    this.tokens = Math.min(tokens, this.burst);
  }
}
