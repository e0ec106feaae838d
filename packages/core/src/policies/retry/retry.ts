import { defaultRandom, type RandomSource } from '../../clock/clock';
import { type ErrorKind, isErrorKind } from '../../errors/error-kind';
import type { ResilientError } from '../../errors/resilient-error';
import { TimeoutError } from '../../errors/timeout-error';
import { emit } from '../../hooks/plugin-set';
import type { AttemptFunction, Execution } from '../../internal/execution';
import { checkFunction, checkKeys, checkObject, optionalNumber } from '../../internal/validate';
import { failure, type Link, PolicyBase, type PolicyOptions, proceed, resolvePolicyOptions } from '../policy';
import { type Backoff, checkBackoff, decorrelatedJitterBackoff } from './backoff';
import { RetryBudget, type RetryBudgetOptions } from './retry-budget';

/** Options of {@link retry}. */
export interface RetryOptions extends PolicyOptions {
  /** Attempts in all, the first one included (1 turns retrying off). Default: 3. */
  maxAttempts?: number;
  /** The delays between attempts. Default: `decorrelatedJitterBackoff()` (base 1 s, cap 30 s). */
  backoff?: Backoff;
  /**
   * Which errors to retry: a list of kinds, or a predicate that gets the classified error and the attempt
   * number; a list retries only its kinds' errors whose `retryable` is true. Default: every error whose
   * `retryable` is true: the kinds marked retryable (`rate-limit`, `server`, `unavailable`, `network`,
   * `timeout`), and a conflict the provider says clears by itself (Stripe's `idempotency_key_in_use`).
   */
  retryOn?: readonly ErrorKind[] | ((error: ResilientError, attempt: number) => boolean);
  /** Retries a successful result too, when this returns true (a `202 pending`, say). Default: never. */
  retryOnResult?: (result: unknown, attempt: number) => boolean;
  /**
   * The longest `Retry-After` that is waited out, in milliseconds. A provider that asks for longer gets
   * the error back at once, with `retryAfterMs` set, instead of a long sleep. Default: 60,000.
   */
  maxRetryAfterMs?: number;
  /** A retry budget shared by every call through this policy, or `false` for none. Default: on, with the defaults of {@link RetryBudgetOptions}. */
  budget?: RetryBudgetOptions | false;
  /** The random source for jitter. Default: `Math.random`. */
  random?: RandomSource;
}

const KEYS = [
  'maxAttempts',
  'backoff',
  'retryOn',
  'retryOnResult',
  'maxRetryAfterMs',
  'budget',
  'random',
  'service',
  'operation',
  'idempotent',
  'plugins',
  'clock',
];

/**
 * Retries failed attempts with backoff and jitter.
 *
 * An attempt is retried when its error is of a retried kind, retryable, attempts are left, the budget
 * allows it, and — when its outcome is `unknown` (the provider may have applied it) — the call is
 * idempotent or carries an idempotency key. `Retry-After` is honoured up to `maxRetryAfterMs`. A delay
 * that would pass the operation's total timeout fails at once with a `TimeoutError`.
 *
 * The caller gets the result, or the last attempt's error with `attempts` set.
 */
export function retry(options: RetryOptions = {}): RetryPolicy {
  return new RetryPolicy(options);
}

/** The policy {@link retry} builds. */
export class RetryPolicy extends PolicyBase {
  /** Attempts in all. */
  readonly maxAttempts: number;
  /** The backoff in use. */
  readonly backoff: Backoff;
  private readonly retryKinds: ReadonlySet<ErrorKind> | undefined;
  private readonly retryPredicate: ((error: ResilientError, attempt: number) => boolean) | undefined;
  private readonly retryOnResult: ((result: unknown, attempt: number) => boolean) | undefined;
  private readonly maxRetryAfterMs: number;
  private readonly budget: RetryBudget | undefined;
  private readonly random: RandomSource;

  constructor(options: RetryOptions = {}) {
    const record = checkObject('retry', 'options', options);
    checkKeys('retry', record, KEYS);
    super(resolvePolicyOptions('retry', options));
    this.maxAttempts = optionalNumber('retry', 'maxAttempts', options.maxAttempts, 3, {
      min: 1,
      max: 100,
      integer: true,
    });
    this.backoff =
      options.backoff === undefined ? decorrelatedJitterBackoff() : checkBackoff('retry', options.backoff);
    this.maxRetryAfterMs = optionalNumber('retry', 'maxRetryAfterMs', options.maxRetryAfterMs, 60_000, {
      min: 0,
      max: 2_147_483_647,
    });
    const retryOn = options.retryOn;
    if (retryOn === undefined) {
      // Default: whatever the classifier marked retryable.
      this.retryKinds = undefined;
    } else if (Array.isArray(retryOn)) {
      for (const kind of retryOn) {
        if (!isErrorKind(kind))
          throw new TypeError(`retry: retryOn lists "${String(kind)}", which is not an error kind`);
      }
      this.retryKinds = new Set(retryOn);
    } else {
      this.retryPredicate = checkFunction('retry', 'retryOn', retryOn);
    }
    if (options.retryOnResult !== undefined)
      this.retryOnResult = checkFunction('retry', 'retryOnResult', options.retryOnResult);
    this.random =
      options.random === undefined ? defaultRandom : checkFunction('retry', 'random', options.random);
    if (options.budget !== false) {
      this.budget = new RetryBudget(checkObject('retry', 'budget', options.budget), this.config.clock);
    }
  }

  /** The tokens left in the retry budget (`Infinity` without a budget). */
  get budgetAvailable(): number {
    return this.budget === undefined ? Number.POSITIVE_INFINITY : this.budget.available;
  }

  /** @internal */
  async run<T>(fn: AttemptFunction<T>, execution: Execution, next: Link | undefined): Promise<T> {
    const outerInsideRetry = execution.insideRetry;
    execution.insideRetry = true;
    this.begin();
    try {
      for (let attempt = 1; ; attempt++) {
        execution.attempt = attempt;
        // A clock reading from before a backoff wait is stale for this attempt.
        if (attempt > 1) execution.timeRead = 0;
        let value: T | undefined;
        let delay = -1;
        try {
          value = await proceed(fn, execution, next);
        } catch (raw) {
          delay = this.afterFailure(failure(raw, execution), attempt, execution);
        }
        if (delay < 0) {
          delay = this.afterSuccess(value, attempt, execution);
          if (delay < 0) return value as T;
        }
        if (delay > 0) await execution.sleep(delay, this.config.clock);
        else if (execution.terminal !== undefined) throw execution.terminal;
      }
    } catch (raw) {
      throw failure(raw, execution);
    } finally {
      execution.insideRetry = outerInsideRetry;
    }
  }

  /** @internal One operation starts: it pays into the retry budget. */
  begin(): void {
    this.budget?.deposit();
  }

  /**
   * @internal After a failed attempt: the delay before the next one (reported to plugins), or throws
   * the error the caller gets.
   */
  afterFailure(error: ResilientError, attempt: number, execution: Execution): number {
    if (execution.terminal !== undefined) throw execution.terminal;
    const delay = this.decide(error, attempt, execution);
    if (delay < 0) throw error;
    return delay;
  }

  /**
   * @internal `afterFailure` without the throw: the delay before the next attempt, or -1 to give up
   * (with the operation's terminal error, if any, else `error`). Throws only a deadline refusal.
   */
  decide(error: ResilientError, attempt: number, execution: Execution): number {
    if (execution.terminal !== undefined || !this.shouldRetry(error, attempt, execution)) return -1;
    return this.schedule(error, attempt, execution);
  }

  /** @internal After a successful attempt: -1 to keep the result, else the delay before retrying it. */
  afterSuccess(value: unknown, attempt: number, execution: Execution): number {
    if (
      this.retryOnResult === undefined ||
      attempt >= this.maxAttempts ||
      !this.retryOnResult(value, attempt)
    )
      return -1;
    if (this.budget !== undefined && !this.budget.withdraw()) return -1;
    return this.schedule(undefined, attempt, execution);
  }

  private schedule(error: ResilientError | undefined, attempt: number, execution: Execution): number {
    const delay = this.delayFor(error, attempt, execution.delayMs, execution);
    const plugins = execution.plugins;
    if (plugins !== undefined)
      emit(plugins, 'onRetryScheduled', { operation: execution.info, attempt, delayMs: delay, error });
    execution.delayMs = delay;
    return delay;
  }

  private shouldRetry(error: ResilientError, attempt: number, execution: Execution): boolean {
    if (attempt >= this.maxAttempts || error.kind === 'cancelled') return false;
    if (this.retryPredicate !== undefined) {
      if (!this.retryPredicate(error, attempt)) return false;
    } else if (!error.retryable || (this.retryKinds !== undefined && !this.retryKinds.has(error.kind))) {
      return false;
    }
    // The provider may have applied it: only a repeatable call, or one under an idempotency key, is safe.
    if (error.outcome === 'unknown' && !execution.retrySafe) return false;
    if (error.retryAfterMs !== undefined && error.retryAfterMs > this.maxRetryAfterMs) return false;
    return this.budget === undefined || this.budget.withdraw();
  }

  /** The wait before the next attempt; throws when it would pass the deadline. */
  private delayFor(
    error: ResilientError | undefined,
    attempt: number,
    previousDelay: number,
    execution: Execution,
  ): number {
    const backoffDelay = this.backoff.next(attempt, previousDelay, this.random());
    const delay = error?.retryAfterMs === undefined ? backoffDelay : Math.max(error.retryAfterMs, 0);
    if (execution.deadline !== Number.POSITIVE_INFINITY) {
      const remaining = execution.deadline - this.config.clock.now();
      if (delay >= remaining) {
        const refusal = new TimeoutError({
          scope: 'total',
          timeoutMs: execution.totalTimeoutMs,
          service: execution.service,
          wouldWaitMs: delay,
          cause: error,
          outcome: execution.mayHaveApplied ? 'unknown' : (error?.outcome ?? 'failed'),
        });
        refusal.attempts = execution.attemptsRun;
        throw refusal;
      }
    }
    return delay;
  }
}
