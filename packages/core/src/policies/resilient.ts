import type { RandomSource } from '../clock/clock';
import { checkKeys, checkObject, checkString, optionalNumber } from '../internal/validate';
import { type CircuitBreakerOptions, CircuitBreakerPolicy } from './breaker/circuit-breaker';
import { type BulkheadOptions, BulkheadPolicy } from './bulkhead';
import { type FallbackOptions, FallbackPolicy } from './fallback';
import { Pipeline } from './pipeline';
import type { PolicyBase, PolicyOptions } from './policy';
import { type RateLimiterOptions, RateLimiterPolicy } from './rate-limiter';
import { type RetryOptions, RetryPolicy } from './retry/retry';
import { TimeoutPolicy } from './timeout/timeout';

type Shared = 'service' | 'operation' | 'idempotent' | 'plugins' | 'clock';

/** Options of {@link resilient}. Each policy takes its own options, or `false` to leave it out. */
export interface ResilientOptions extends Omit<PolicyOptions, 'service'> {
  /** The service the calls go to, such as `stripe`. Names the breaker and every error and event. */
  service: string;
  /** The time for the whole operation, retries and waits included, in ms, or `false`. Default: 30,000. */
  totalTimeoutMs?: number | false;
  /** The time for one attempt, in ms, or `false`. Default: 10,000. */
  attemptTimeoutMs?: number | false;
  /** Retry options, or `false`. Default: 3 attempts, decorrelated jitter from 1 s, capped at 30 s, a retry budget. */
  retry?: Omit<RetryOptions, Shared> | false;
  /**
   * Circuit breaker options, or `false`. Default: opens when half of at least 10 calls in 30 s failed,
   * for 5 s growing to 60 s, with one probe.
   */
  circuitBreaker?: Omit<CircuitBreakerOptions, Shared> | false;
  /** Bulkhead options, or `false`. Default: none. */
  bulkhead?: Omit<BulkheadOptions, Shared> | false;
  /** Client-side rate limit, or `false`. Default: none. */
  rateLimit?: Omit<RateLimiterOptions, Shared> | false;
  /** A fallback, or `false`. Default: none. */
  fallback?: Omit<FallbackOptions, Shared> | false;
  /** The random source for every jitter. Default: `Math.random`. */
  random?: RandomSource;
}

const KEYS = [
  'service',
  'totalTimeoutMs',
  'attemptTimeoutMs',
  'retry',
  'circuitBreaker',
  'bulkhead',
  'rateLimit',
  'fallback',
  'random',
  'operation',
  'idempotent',
  'plugins',
  'clock',
];

/** The defaults of the standard pipeline. */
export const RESILIENT_DEFAULTS = Object.freeze({
  totalTimeoutMs: 30_000,
  attemptTimeoutMs: 10_000,
  circuitBreaker: Object.freeze({
    strategy: Object.freeze({
      type: 'sampling',
      failureRatio: 0.5,
      windowMs: 30_000,
      minimumThroughput: 10,
    } as const),
  }),
});

/**
 * The standard pipeline for one service, outermost first:
 * fallback → total timeout → bulkhead → retry → circuit breaker → rate limiter → attempt timeout → call.
 *
 * The total timeout bounds everything, waits in the bulkhead and between retries included. Retry sits
 * outside the breaker, so each attempt is counted and an open breaker stops the retries; the rate
 * limiter gives each attempt a token; the attempt timeout bounds each call, so a hung call fails, the
 * breaker learns, and a retry can follow. Combinations are checked when it is built.
 */
export function resilient(options: ResilientOptions): ResilientPipeline {
  return new ResilientPipeline(options);
}

/** The pipeline {@link resilient} builds, with its parts exposed for health checks. */
export class ResilientPipeline extends Pipeline {
  /** The service. */
  readonly service: string;
  /** The circuit breaker, when there is one: its `state` is what a health endpoint reports. */
  readonly breaker: CircuitBreakerPolicy | undefined;
  /** The retry policy, when there is one. */
  readonly retryPolicy: RetryPolicy | undefined;
  /** The bulkhead, when there is one. */
  readonly bulkhead: BulkheadPolicy | undefined;
  /** The rate limiter, when there is one. */
  readonly rateLimiter: RateLimiterPolicy | undefined;

  constructor(options: ResilientOptions) {
    const record = checkObject('resilient', 'options', options);
    checkKeys('resilient', record, KEYS);
    const service = checkString('resilient', 'service', options.service);
    if (service === undefined)
      throw new TypeError('resilient: service is required, such as "stripe" or "resend"');
    const shared: PolicyOptions = {
      service,
      clock: options.clock,
      operation: options.operation,
      idempotent: options.idempotent,
    };
    const random = options.random;
    const totalTimeoutMs = timeoutOption(
      'totalTimeoutMs',
      options.totalTimeoutMs,
      RESILIENT_DEFAULTS.totalTimeoutMs,
    );
    const attemptTimeoutMs = timeoutOption(
      'attemptTimeoutMs',
      options.attemptTimeoutMs,
      RESILIENT_DEFAULTS.attemptTimeoutMs,
    );
    if (totalTimeoutMs !== undefined && attemptTimeoutMs !== undefined && totalTimeoutMs < attemptTimeoutMs) {
      throw new RangeError(
        `resilient: totalTimeoutMs (${totalTimeoutMs}) must be at least attemptTimeoutMs (${attemptTimeoutMs})`,
      );
    }

    const policies: PolicyBase[] = [];
    const fallbackPolicy = part(
      options.fallback,
      undefined,
      (value) => new FallbackPolicy({ ...shared, ...value }),
    );
    if (fallbackPolicy) policies.push(fallbackPolicy);
    if (totalTimeoutMs !== undefined)
      policies.push(new TimeoutPolicy(totalTimeoutMs, { ...shared, scope: 'total' }));
    const bulkheadPolicy = part(
      options.bulkhead,
      undefined,
      (value) => new BulkheadPolicy({ ...shared, ...value }),
    );
    if (bulkheadPolicy) policies.push(bulkheadPolicy);
    const retryPolicy = part(options.retry, {}, (value) => new RetryPolicy({ random, ...value, ...shared }));
    if (retryPolicy) policies.push(retryPolicy);
    const breaker = part(options.circuitBreaker, RESILIENT_DEFAULTS.circuitBreaker, (value) => {
      // The pipeline's plugins also hear the breaker's changes made outside a call (isolate, reset, or
      // another process of its fleet).
      const merged = { random, ...value, ...shared, plugins: options.plugins } as CircuitBreakerOptions;
      if (value.strategy === undefined) merged.strategy = { ...RESILIENT_DEFAULTS.circuitBreaker.strategy };
      return new CircuitBreakerPolicy(merged);
    });
    if (breaker) {
      if (
        breaker.windowMs !== undefined &&
        attemptTimeoutMs !== undefined &&
        breaker.windowMs < 2 * attemptTimeoutMs
      ) {
        throw new RangeError(
          `resilient: circuitBreaker.strategy.windowMs (${breaker.windowMs}) must be at least twice attemptTimeoutMs (${attemptTimeoutMs}), or slow failures never fill the window`,
        );
      }
      policies.push(breaker);
    }
    const limiter = part(
      options.rateLimit,
      undefined,
      (value) => new RateLimiterPolicy({ ...shared, ...value }),
    );
    if (limiter) policies.push(limiter);
    if (attemptTimeoutMs !== undefined)
      policies.push(new TimeoutPolicy(attemptTimeoutMs, { ...shared, scope: 'attempt' }));

    super(policies, { ...shared, plugins: options.plugins });
    this.service = service;
    this.breaker = breaker;
    this.retryPolicy = retryPolicy;
    this.bulkhead = bulkheadPolicy;
    this.rateLimiter = limiter;
  }
}

function timeoutOption(
  name: string,
  value: number | false | undefined,
  fallbackMs: number,
): number | undefined {
  if (value === false) return undefined;
  return optionalNumber('resilient', name, value, fallbackMs, {
    min: 0,
    max: 2_147_483_647,
    exclusiveMin: true,
  });
}

function part<O extends object, P>(
  value: O | false | undefined,
  defaults: O | undefined,
  build: (value: O) => P,
): P | undefined {
  if (value === false) return undefined;
  if (value === undefined) return defaults === undefined ? undefined : build(defaults);
  if (typeof value !== 'object' || value === null)
    throw new TypeError('resilient: each policy option must be an object or false');
  return build(value);
}
