import { RejectedError } from '../errors/rejected-error';
import { reportPluginError } from '../hooks/plugin-registry';
import { emit } from '../hooks/plugin-set';
import type { AttemptFunction, Execution } from '../internal/execution';
import { rejectLater } from '../internal/reject-later';
import { checkKeys, checkNumber, checkObject, checkString, optionalNumber } from '../internal/validate';
import { failure, type Link, PolicyBase, type PolicyOptions, proceed, resolvePolicyOptions } from './policy';
import type { RateLimitBucket, RateLimitDecision, RateLimitFleet } from './rate-limit-fleet';

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
  /** The limiter's name in errors and the key of its bucket in a fleet. Default: the service, else `rate-limiter`. */
  name?: string;
  /**
   * Shares the bucket with every process that uses a limiter of the same `name` in this fleet
   * (`redisFleet()` from `@resilient/redis`, say), so that together they stay under the limit. Each
   * call then costs the fleet one reservation (one Redis round trip).
   */
  fleet?: RateLimitFleet;
}

const KEYS = [
  'limit',
  'name',
  'fleet',
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
  /** The limiter's name. */
  readonly name: string;
  private readonly fleet: RateLimitFleet | undefined;
  private readonly bucket: RateLimitBucket;
  private readonly perMs: number;
  /** Who problems with the fleet are reported as (one object, so the default report is made once). */
  private reporter: { readonly name: string } | undefined = undefined;
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
    this.name = checkString('rateLimiter', 'name', options.name) ?? this.config.service ?? 'rate-limiter';
    if (options.fleet !== undefined && typeof options.fleet?.reserve !== 'function') {
      throw new TypeError(
        'rateLimiter: fleet must have reserve(bucket), like redisFleet() from @resilient/redis',
      );
    }
    this.fleet = options.fleet;
    this.bucket = Object.freeze({
      name: this.name,
      limit: this.limit,
      intervalMs: this.intervalMs,
      burst: this.burst,
      maxWaitMs: this.maxWaitMs,
    });
    this.perMs = this.limit / this.intervalMs;
    this.tokens = this.burst;
    this.lastRefill = this.config.clock.now();
  }

  /** Tokens available now in this process's own bucket (negative while calls wait for reserved tokens); a fleet's bucket is not counted. */
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
    return this.fleet === undefined ? this.takeToken(execution) : this.reserve(this.fleet, execution);
  }

  /** Takes a token of this process's own bucket. */
  private takeToken(execution: Execution): Promise<void> | undefined {
    const clock = this.config.clock;
    const now = clock.now();
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
    } else {
      const waitMs = Math.ceil((1 - this.tokens) / this.perMs);
      if (waitMs > this.maxWaitMs) throw this.reject(execution, waitMs);
      this.tokens -= 1;
      return execution.sleep(waitMs, clock).catch((error: unknown) => {
        this.tokens += 1; // give the reserved token back
        throw error;
      });
    }
    return undefined;
  }

  /** Reserves a slot of the fleet's bucket, then waits for it; the caller's abort or deadline ends either wait. */
  private async reserve(fleet: RateLimitFleet, execution: Execution): Promise<void> {
    const decision = await execution.follow(this.ask(fleet));
    if (decision === undefined) {
      // The fleet broke its contract (reported): this process's own bucket decides.
      const waiting = this.takeToken(execution);
      if (waiting !== undefined) await waiting;
      return;
    }
    if (!decision.allowed) throw this.reject(execution, decision.waitMs, decision.reason);
    // The wait is the fleet's slot: it is not given back on cancellation (the fleet stays under its limit).
    if (decision.waitMs > 0) await execution.sleep(decision.waitMs, this.config.clock);
    else if (execution.terminal !== undefined) throw execution.terminal;
  }

  /** The fleet's decision, or `undefined` when it threw, rejected or answered something else (reported). */
  private ask(fleet: RateLimitFleet): Promise<RateLimitDecision | undefined> {
    try {
      return Promise.resolve(fleet.reserve(this.bucket)).then(this.checkDecision, this.fleetFailed);
    } catch (error) {
      return Promise.resolve(this.fleetFailed(error));
    }
  }

  private readonly checkDecision = (decision: RateLimitDecision): RateLimitDecision | undefined => {
    if (typeof decision?.allowed === 'boolean' && decision.waitMs >= 0 && decision.waitMs < Infinity) {
      return decision;
    }
    return this.fleetFailed(
      new TypeError(
        `rateLimiter: the fleet answered ${JSON.stringify(decision)}, not { allowed, waitMs >= 0 }`,
      ),
    );
  };

  private readonly fleetFailed = (error: unknown): undefined => {
    this.reporter ??= { name: `${this.name} rate-limit fleet` };
    reportPluginError(error, this.reporter, 'reserve');
    return undefined;
  };

  private reject(execution: Execution, waitMs: number, reason?: string): RejectedError {
    const service = execution.service ? ` for ${execution.service}` : '';
    const error = new RejectedError({
      rejectedBy: 'rate-limiter',
      message:
        reason === undefined
          ? `Rate limit of ${this.limit} per ${this.intervalMs} ms reached${service}; next slot in ${waitMs} ms`
          : `The ${this.name} rate limiter refused the call: ${reason}; try again in ${waitMs} ms`,
      service: execution.service,
      retryAfterMs: waitMs,
    });
    if (execution.plugins !== undefined)
      emit(execution.plugins, 'onRejected', {
        operation: execution.info,
        rejectedBy: 'rate-limiter',
        error,
      });
    return error;
  }

  private refill(now: number): void {
    const elapsed = now - this.lastRefill;
    if (elapsed <= 0) return;
    this.lastRefill = now;
    const tokens = this.tokens + elapsed * this.perMs;
    this.tokens = Math.min(tokens, this.burst);
  }
}
