import type { ResilientError } from '../errors/resilient-error';
import type { AttemptFunction, Execution } from '../internal/execution';
import { rejectLater } from '../internal/reject-later';
import { runAttempt } from '../internal/run-attempt';
import { CircuitBreakerPolicy } from './breaker/circuit-breaker';
import { BulkheadPolicy } from './bulkhead';
import { FallbackPolicy } from './fallback';
import { failure, type PolicyBase } from './policy';
import { RateLimiterPolicy } from './rate-limiter';
import { RetryPolicy } from './retry/retry';
import type { DeadlineEntry } from './timeout/deadline-queue';
import { TimeoutPolicy } from './timeout/timeout';

/** @internal The parts of a standard pipeline, each optional, in their fixed order. */
export interface StandardParts {
  readonly fallback: FallbackPolicy | undefined;
  readonly totalTimeout: TimeoutPolicy | undefined;
  readonly bulkhead: BulkheadPolicy | undefined;
  readonly retry: RetryPolicy | undefined;
  readonly breaker: CircuitBreakerPolicy | undefined;
  readonly rateLimiter: RateLimiterPolicy | undefined;
  readonly attemptTimeout: TimeoutPolicy | undefined;
}

/**
 * @internal The parts, when `policies` are the standard pipeline's (each at most once, in its order,
 * a retry among them, timeouts whose explicit scope, if any, fits their place); else `undefined`.
 */
export function matchStandard(policies: readonly PolicyBase[]): StandardParts | undefined {
  let index = 0;
  const take = <P extends PolicyBase>(
    type: abstract new (...args: never[]) => P,
    accept?: (policy: P) => boolean,
  ): P | undefined => {
    const policy = policies[index];
    if (!(policy instanceof type) || (accept !== undefined && !accept(policy))) return undefined;
    index++;
    return policy;
  };
  const fallback = take(FallbackPolicy);
  const totalTimeout = take(TimeoutPolicy, (policy) => policy.scope !== 'attempt');
  const bulkhead = take(BulkheadPolicy);
  const retry = take(RetryPolicy);
  // Without a retry, a timeout's scope by position differs from the slot it would fill here.
  if (retry === undefined) return undefined;
  const breaker = take(CircuitBreakerPolicy);
  const rateLimiter = take(RateLimiterPolicy);
  const attemptTimeout = take(TimeoutPolicy, (policy) => policy.scope !== 'total');
  if (index !== policies.length) return undefined;
  return { fallback, totalTimeout, bulkhead, retry, breaker, rateLimiter, attemptTimeout };
}

/**
 * @internal Runs the standard pipeline as one loop instead of seven nested steps: the same policies, the
 * same decisions (each policy's own methods make them), one async frame and one await per attempt. It
 * behaves exactly as `pipeline(fallback, totalTimeout, bulkhead, retry, breaker, rateLimiter,
 * attemptTimeout)`; the tests hold both to that.
 */
export async function runStandard<T>(
  parts: StandardParts,
  fn: AttemptFunction<T>,
  execution: Execution,
): Promise<T> {
  const { totalTimeout, bulkhead, retry, breaker, rateLimiter, attemptTimeout } = parts;
  // Each part keeps its own clock, as it does in a nested pipeline; usually they share one.
  const totalClock = totalTimeout?.config.clock;
  const attemptClock = attemptTimeout?.config.clock;
  const startedAt = (totalClock ?? attemptClock)?.now() ?? 0;
  const attemptStartsAtStart = totalClock === undefined || totalClock === attemptClock;
  // While an attempt timeout that ends sooner runs, the total timeout cannot fire first: its own
  // deadline entry is needed only once the operation waits outside an attempt (a queue, a rate limit,
  // a backoff) or starts a second attempt. A call that succeeds at once pays for one entry, not two.
  const lazyTotal =
    totalTimeout !== undefined &&
    attemptTimeout !== undefined &&
    totalTimeout.timeoutMs > attemptTimeout.timeoutMs;
  let totalEntry: DeadlineEntry<Execution> | undefined;
  if (lazyTotal) totalTimeout.tighten(execution, true, startedAt);
  else totalEntry = totalTimeout?.arm(execution, true, startedAt);
  let holdsSlot = false;
  try {
    if (bulkhead !== undefined) {
      const waiting = bulkhead.acquire(execution);
      if (waiting !== undefined) {
        totalEntry ??= totalTimeout?.arm(execution, true, startedAt);
        await waiting;
      }
      holdsSlot = true;
    }
    retry?.begin();
    execution.insideRetry = retry !== undefined;
    for (let attempt = 1; ; attempt++) {
      execution.attempt = attempt;
      // A clock reading from before a backoff wait is stale for this attempt.
      if (attempt > 1) {
        execution.timeRead = 0;
        totalEntry ??= totalTimeout?.arm(execution, true, startedAt);
      }
      let value: T | undefined;
      let delay = -1;
      let failed: ResilientError | undefined;
      let admitted = false;
      let generation = 0;
      let probeStart = 0;
      const attemptsBefore = execution.attemptsRun;
      if (breaker !== undefined) {
        let entered = breaker.tryEnter(execution);
        // Only a breaker in a fleet, due for a probe, answers with a promise (it asks the fleet first).
        if (typeof entered !== 'number' && entered instanceof Promise) {
          totalEntry ??= totalTimeout?.arm(execution, true, startedAt);
          entered = await execution.follow(entered);
        }
        if (typeof entered === 'number') {
          probeStart = entered;
          generation = breaker.generation;
          admitted = true;
        } else {
          failed = failure(entered, execution);
        }
      }
      if (failed === undefined) {
        try {
          if (rateLimiter !== undefined) {
            const waiting = rateLimiter.take(execution);
            if (waiting !== undefined) {
              totalEntry ??= totalTimeout?.arm(execution, true, startedAt);
              await waiting;
            }
          }
          if (attemptTimeout === undefined) {
            value = await runAttempt(fn, execution);
          } else {
            const now = attempt === 1 && attemptStartsAtStart ? startedAt : attemptClock!.now();
            const entry = attemptTimeout.arm(execution, false, now);
            try {
              value = await runAttempt(fn, execution);
            } finally {
              attemptTimeout.disarm(entry);
            }
          }
          if (admitted) breaker!.exitSuccess(generation, probeStart, execution);
        } catch (raw) {
          failed = failure(raw, execution);
          if (admitted) breaker!.exitFailure(failed, generation, probeStart, execution, attemptsBefore);
        }
      }
      if (failed !== undefined) {
        // Giving up returns the error rather than throwing it: a fail-fast path then never throws.
        if (retry === undefined) return giveUp(parts, execution.terminal ?? failed, execution);
        delay = retry.decide(failed, attempt, execution);
        if (delay < 0) return giveUp(parts, execution.terminal ?? failed, execution);
      } else {
        if (retry === undefined) return value as T;
        delay = retry.afterSuccess(value, attempt, execution);
        if (delay < 0) return value as T;
      }
      if (delay > 0) {
        totalEntry ??= totalTimeout?.arm(execution, true, startedAt);
        await execution.sleep(delay, retry!.config.clock);
      } else if (execution.terminal !== undefined) {
        return giveUp(parts, execution.terminal, execution);
      }
    }
  } catch (raw) {
    return giveUp(parts, failure(raw, execution), execution);
  } finally {
    if (holdsSlot) bulkhead!.release();
    if (totalEntry !== undefined) totalTimeout!.disarm(totalEntry);
  }
}

/** The end of a failed operation: the fallback's result, or a rejection the caller can still catch. */
function giveUp<T>(parts: StandardParts, error: ResilientError, execution: Execution): Promise<T> {
  const stamped = failure(error, execution);
  return parts.fallback === undefined ? rejectLater(stamped) : parts.fallback.recover<T>(stamped, execution);
}
