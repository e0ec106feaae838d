import type { Clock } from '../clock/clock';
import { CancelledError } from '../errors/cancelled-error';
import type { Outcome } from '../errors/error-kind';
import type { ResilientError } from '../errors/resilient-error';
import type { OperationInfo, ResiliencePlugin } from '../hooks/plugin';
import { rejectLater } from './reject-later';
import type { Attempt } from './run-attempt';

/** What the function a policy runs receives, fresh for every attempt. */
export interface AttemptContext {
  /**
   * An `AbortSignal` for this attempt alone. It aborts when the caller aborts, when a timeout fires, or
   * when the attempt is abandoned; its `reason` is the error the policy throws. Pass it to the provider
   * SDK or `fetch`. Created on first read, so a function that ignores it costs nothing.
   */
  readonly signal: AbortSignal;
  /** The attempt number, from 1. */
  readonly attempt: number;
  /** The idempotency key the caller gave in `execute` options, the same on every attempt. */
  readonly idempotencyKey: string | undefined;
  /** The deadline of the whole operation in epoch milliseconds, or `Infinity` when there is none. */
  readonly deadline: number;
  /** The operation this attempt belongs to. */
  readonly operation: OperationInfo;
}

/** The function a policy runs. */
export type AttemptFunction<T> = (context: AttemptContext) => T | PromiseLike<T>;

/** Options of one `execute` call. */
export interface ExecuteOptions {
  /** Aborts the operation at once, during an attempt or a backoff wait, with a `CancelledError`. */
  signal?: AbortSignal;
  /**
   * The call can be repeated without harm (a GET, an upsert), so an attempt whose outcome is `unknown`
   * (a timeout, a reset after sending) may be retried. Default: the policy's `idempotent` option, else `false`.
   */
  idempotent?: boolean;
  /**
   * An idempotency key the provider honours. With one, an `unknown` outcome may be retried: the provider
   * applies the request once. Handed to the function as `context.idempotencyKey` on every attempt.
   */
  idempotencyKey?: string;
  /** A low-cardinality name for hooks and traces, such as `customers.create`. Default: the policy's. */
  operation?: string;
}

/** @internal What an entry policy shares with every execution it starts. */
export interface ExecutionConfig {
  readonly service: string | undefined;
  readonly operation: string;
  readonly idempotent: boolean;
  readonly clock: Clock;
}

/** @internal The state of one operation, shared by every policy it passes through. */
export class Execution {
  readonly service: string | undefined;
  readonly operationName: string;
  readonly clock: Clock;
  readonly plugins: readonly ResiliencePlugin[] | undefined;
  readonly signal: AbortSignal | undefined;
  readonly idempotent: boolean;
  readonly idempotencyKey: string | undefined;
  readonly startedAt: number;
  /** The current attempt number; 0 until an attempt starts. Set by a retry policy. */
  attempt = 0;
  /** Attempts that actually ran the function. */
  attemptsRun = 0;
  /** The delay waited before the current attempt. */
  delayMs = 0;
  /** The operation's deadline in epoch ms (the tightest total timeout), or Infinity. */
  deadline = Number.POSITIVE_INFINITY;
  /**
   * The execution clock's reading when the current attempt was set up, or 0. Timeouts read the clock
   * anyway; a sampling breaker reuses the reading instead of reading the clock again.
   */
  timeRead = 0;
  /** The total timeout behind `deadline`, in milliseconds. */
  totalTimeoutMs = 0;
  /** Whether a retry policy encloses the current position (timeouts below it are per attempt). */
  insideRetry = false;
  /** Whether something (a caller signal, a timeout) may interrupt waits: attempts are raced then. */
  interruptible: boolean;
  /** Set once the operation as a whole is over: the caller aborted or the total timeout fired. */
  terminal: ResilientError | undefined = undefined;
  /** Rejects whatever the operation is waiting on now: an attempt, a backoff, a queue. */
  waiter: ((error: ResilientError) => void) | undefined = undefined;
  /** The abort controller of the running attempt, once its signal was read. */
  controller: AbortController | undefined = undefined;
  /** The running attempt's context. */
  current: Attempt | undefined = undefined;
  /** Whether any attempt ended with an `unknown` outcome: the operation may have been applied. */
  mayHaveApplied = false;
  /** Whether the current wait is an attempt in flight (rather than a backoff, a queue, a rate limit). */
  attemptInFlight = false;
  /** Waits cut short so far: a step that waited can tell whether its caller stopped waiting. */
  interruptions = 0;
  /** Whether a fallback produced the result. */
  usedFallback = false;
  private infoObject: OperationInfo | undefined = undefined;

  constructor(
    config: ExecutionConfig,
    plugins: readonly ResiliencePlugin[] | undefined,
    options: ExecuteOptions | undefined,
  ) {
    this.service = config.service;
    this.clock = config.clock;
    this.plugins = plugins;
    this.startedAt = plugins === undefined ? 0 : config.clock.now();
    if (options === undefined) {
      this.operationName = config.operation;
      this.signal = undefined;
      this.idempotent = config.idempotent;
      this.idempotencyKey = undefined;
      this.interruptible = false;
      return;
    }
    this.operationName = options.operation ?? config.operation;
    this.idempotencyKey = options.idempotencyKey;
    this.idempotent = options.idempotent ?? config.idempotent;
    const signal = options.signal;
    this.signal = signal;
    this.interruptible = signal !== undefined;
    if (signal !== undefined) {
      if (signal.aborted)
        this.terminal = new CancelledError({
          reason: signal.reason,
          service: this.service,
          outcome: 'not-sent',
        });
      else signal.addEventListener('abort', this);
    }
  }

  /** The stable description of this operation that plugins receive. */
  get info(): OperationInfo {
    if (this.infoObject === undefined) {
      this.infoObject = Object.freeze({
        service: this.service,
        operation: this.operationName,
        startedAt: this.startedAt,
      });
    }
    return this.infoObject;
  }

  /** Whether an `unknown` outcome may be retried. */
  get retrySafe(): boolean {
    return this.idempotent || this.idempotencyKey !== undefined;
  }

  /** The caller's signal aborted. */
  handleEvent(): void {
    const outcome = this.outcomeNow();
    this.interrupt(new CancelledError({ reason: this.signal!.reason, service: this.service, outcome }), true);
  }

  /** What the operation has done so far, if it were cut off now. */
  outcomeNow(): Outcome {
    if (this.mayHaveApplied || (this.attemptInFlight && this.waiter !== undefined)) return 'unknown';
    return this.attemptsRun === 0 ? 'not-sent' : 'failed';
  }

  /** Interrupts what the operation waits on; a terminal interrupt also ends every later step. */
  interrupt(error: ResilientError, terminal: boolean): void {
    if (terminal && this.terminal === undefined) this.terminal = error;
    const controller = this.controller;
    if (controller !== undefined && !controller.signal.aborted) controller.abort(error);
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      this.interruptions++;
      waiter(error);
    }
  }

  /** Waits `delayMs` on `clock`, or less if interrupted. No timer for a zero delay. */
  sleep(delayMs: number, clock: Clock): Promise<void> {
    if (this.terminal !== undefined) return rejectLater(this.terminal);
    if (delayMs <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const handle = clock.setTimeout(() => {
        if (this.waiter === interrupted) this.waiter = undefined;
        resolve();
      }, delayMs);
      this.attemptInFlight = false;
      const interrupted = (error: ResilientError): void => {
        clock.clearTimeout(handle);
        reject(error);
      };
      this.waiter = interrupted;
    });
  }

  /**
   * Waits for `promise` (a fleet's answer, say), or less if interrupted: the caller's abort or the total
   * timeout rejects at once, and the answer, when it comes, is dropped.
   */
  follow<T>(promise: Promise<T>): Promise<T> {
    if (this.terminal !== undefined) return rejectLater(this.terminal);
    if (!this.interruptible) return promise;
    return new Promise<T>((resolve, reject) => {
      const interrupted = (error: ResilientError): void => reject(error);
      this.waiter = interrupted;
      const settle = (): void => {
        if (this.waiter === interrupted) this.waiter = undefined;
      };
      promise.then(
        (value) => {
          settle();
          resolve(value);
        },
        (error: unknown) => {
          settle();
          reject(error);
        },
      );
    });
  }

  /** Releases the caller-signal listener. */
  dispose(): void {
    this.signal?.removeEventListener('abort', this);
  }
}
