import { TimeoutError, type TimeoutScope } from '../../errors/timeout-error';
import type { AttemptFunction, Execution } from '../../internal/execution';
import { checkKeys, checkNumber, checkObject } from '../../internal/validate';
import { failure, type Link, PolicyBase, type PolicyOptions, proceed, resolvePolicyOptions } from '../policy';
import { type DeadlineEntry, DeadlineQueue } from './deadline-queue';

/** Options of {@link timeout}. */
export interface TimeoutOptions extends PolicyOptions {
  /**
   * Which timeout this is. Default: by position: `attempt` inside a retry policy, `total` outside one.
   * A total timeout also sets the operation's deadline, which retries respect.
   */
  scope?: TimeoutScope;
}

const KEYS = ['scope', 'service', 'operation', 'idempotent', 'plugins', 'clock'];

/**
 * Bounds the time of what runs inside it. When the time is up the attempt's `signal` aborts with a
 * `TimeoutError` and the policy rejects at once, even if the function ignores the signal. Outside a
 * retry policy it bounds the whole operation (`scope: 'total'`), inside one each attempt.
 *
 * All calls through one timeout policy share one timer: no timer is set or cleared per call.
 */
export function timeout(timeoutMs: number, options: TimeoutOptions = {}): TimeoutPolicy {
  return new TimeoutPolicy(timeoutMs, options);
}

/** The policy {@link timeout} builds. */
export class TimeoutPolicy extends PolicyBase {
  /** The timeout, in milliseconds. */
  readonly timeoutMs: number;
  /** @internal The scope given at construction; `undefined` means by position. */
  readonly scope: TimeoutScope | undefined;
  private readonly queue: DeadlineQueue<Execution>;

  constructor(timeoutMs: number, options: TimeoutOptions = {}) {
    const record = checkObject('timeout', 'options', options);
    checkKeys('timeout', record, KEYS);
    super(resolvePolicyOptions('timeout', options));
    this.timeoutMs = checkNumber('timeout', 'timeoutMs', timeoutMs, {
      min: 0,
      max: 2_147_483_647,
      exclusiveMin: true,
    });
    if (options.scope !== undefined && options.scope !== 'attempt' && options.scope !== 'total') {
      throw new TypeError(
        `timeout: scope must be "attempt" or "total"; got ${JSON.stringify(options.scope)}`,
      );
    }
    this.scope = options.scope;
    this.queue = new DeadlineQueue<Execution>(this.config.clock, (execution, total) =>
      this.expire(execution, total),
    );
  }

  /** @internal */
  async run<T>(fn: AttemptFunction<T>, execution: Execution, next: Link | undefined): Promise<T> {
    const scope = this.scope ?? (execution.insideRetry ? 'attempt' : 'total');
    const outerDeadline = execution.deadline;
    const outerTotal = execution.totalTimeoutMs;
    const outerInterruptible = execution.interruptible;
    const entry = this.arm(execution, scope === 'total', this.config.clock.now());
    try {
      return await proceed(fn, execution, next);
    } catch (raw) {
      throw failure(raw, execution);
    } finally {
      this.queue.remove(entry);
      execution.deadline = outerDeadline;
      execution.totalTimeoutMs = outerTotal;
      execution.interruptible = outerInterruptible;
    }
  }

  /**
   * @internal Starts this timeout for `execution` at `now`: registers its deadline (a total one also
   * tightens the operation's deadline) and makes the execution interruptible. Undo with `disarm`.
   */
  arm(execution: Execution, total: boolean, now: number): DeadlineEntry<Execution> {
    this.tighten(execution, total, now);
    return this.queue.add(now + this.timeoutMs, execution, total);
  }

  /**
   * @internal What `arm` does to the execution, without registering the deadline: a total timeout
   * tightens the operation's deadline, and the execution becomes interruptible.
   */
  tighten(execution: Execution, total: boolean, now: number): void {
    const at = now + this.timeoutMs;
    if (total && at < execution.deadline) {
      execution.deadline = at;
      execution.totalTimeoutMs = this.timeoutMs;
    }
    execution.interruptible = true;
    if (this.config.clock === execution.clock) execution.timeRead = now;
  }

  /** @internal Stops a timeout started with `arm`. */
  disarm(entry: DeadlineEntry<Execution>): void {
    this.queue.remove(entry);
  }

  private expire(execution: Execution, total: boolean): void {
    const scope: TimeoutScope = total ? 'total' : 'attempt';
    const error = new TimeoutError({
      scope,
      timeoutMs: this.timeoutMs,
      service: execution.service,
      outcome: execution.outcomeNow(),
    });
    execution.interrupt(error, total);
  }
}
