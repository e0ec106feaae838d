import type { ErrorKind } from '../errors/error-kind';
import type { RejectedBy } from '../errors/rejected-error';
import type { ResilientError } from '../errors/resilient-error';
import type { CircuitState } from '../policies/breaker/circuit-state';

/** One logical operation (all attempts of one `execute` call), the same object in every event of it. */
export interface OperationInfo {
  /** The service, such as `stripe`; `undefined` when none was named. */
  readonly service: string | undefined;
  /** The low-cardinality operation name, such as `customers.create`; `execute` by default. */
  readonly operation: string;
  /** When the operation started, in epoch milliseconds of the policy's clock. */
  readonly startedAt: number;
}

/** Emitted when an operation starts. */
export interface OperationStartEvent {
  readonly operation: OperationInfo;
}

/** Emitted when an operation ends, once, with its result or the error the caller gets. */
export interface OperationEndEvent {
  readonly operation: OperationInfo;
  /** How many attempts ran (0 when a breaker, bulkhead or limiter refused the first one). */
  readonly attempts: number;
  readonly durationMs: number;
  /** `success`, `failure`, or `fallback` when a fallback produced the result. */
  readonly outcome: 'success' | 'failure' | 'fallback';
  /** The error the caller gets, when the outcome is `failure`. */
  readonly error: ResilientError | undefined;
}

/** Emitted when an attempt starts. */
export interface AttemptStartEvent {
  readonly operation: OperationInfo;
  /** The attempt number, from 1. */
  readonly attempt: number;
  /** The delay waited before this attempt, in milliseconds (0 for the first). */
  readonly delayMs: number;
}

/** Emitted when an attempt ends. */
export interface AttemptEndEvent {
  readonly operation: OperationInfo;
  readonly attempt: number;
  readonly durationMs: number;
  /** The attempt's error, classified; `undefined` when it succeeded. */
  readonly error: ResilientError | undefined;
  /** The error's kind; `undefined` when it succeeded. */
  readonly kind: ErrorKind | undefined;
}

/** Emitted when a retry policy decides to try again. */
export interface RetryScheduledEvent {
  readonly operation: OperationInfo;
  /** The attempt that failed. */
  readonly attempt: number;
  /** The wait before the next attempt, in milliseconds. */
  readonly delayMs: number;
  /** The error that caused the retry; `undefined` when a result was retried. */
  readonly error: ResilientError | undefined;
}

/** Emitted when a circuit breaker changes state. */
export interface BreakerStateChangeEvent {
  /** The breaker's name (its service, or the `name` option). */
  readonly breaker: string;
  readonly from: CircuitState;
  readonly to: CircuitState;
  /** The operation whose call caused the change; `undefined` for a manual `isolate` or `reset`, or a change from the fleet. */
  readonly operation: OperationInfo | undefined;
  /** `true` when another process of the breaker's fleet made the change (see the breaker's `fleet` option). */
  readonly fromFleet?: boolean;
}

/** Emitted when a breaker, bulkhead or rate limiter refuses a call. */
export interface RejectedEvent {
  readonly operation: OperationInfo;
  readonly rejectedBy: 'circuit-breaker' | RejectedBy;
  readonly error: ResilientError;
  /** The name of the breaker that refused, when `rejectedBy` is `circuit-breaker`. */
  readonly breaker?: string;
  /** That breaker's state when it refused: `open`, `half-open` (its probes were taken) or `isolated`. */
  readonly breakerState?: CircuitState;
}

/** Emitted when a fallback produces the result instead of the failed call. */
export interface FallbackEvent {
  readonly operation: OperationInfo;
  /** The error that the fallback replaced. */
  readonly error: ResilientError;
}

/**
 * A plugin observes operations, attempts and policy decisions. Every method is optional. A plugin that
 * throws never breaks the call it observes: the error is caught and reported (see `onPluginError`).
 * Register one per policy (`plugins` option) or for the whole process ({@link registerPlugin}).
 */
export interface ResiliencePlugin {
  /** A name for error reports. */
  readonly name: string;
  onOperationStart?(event: OperationStartEvent): void;
  onOperationEnd?(event: OperationEndEvent): void;
  onAttemptStart?(event: AttemptStartEvent): void;
  onAttemptEnd?(event: AttemptEndEvent): void;
  /**
   * Runs the user's function for one attempt. A tracing plugin runs `run` inside the attempt span's
   * context, so spans the provider SDK makes nest under the attempt. Must call `run` once and return its
   * result; if it throws before calling `run`, the attempt runs without it.
   */
  wrapAttempt?<T>(event: AttemptStartEvent, run: () => T): T;
  onRetryScheduled?(event: RetryScheduledEvent): void;
  onBreakerStateChange?(event: BreakerStateChangeEvent): void;
  onRejected?(event: RejectedEvent): void;
  onFallback?(event: FallbackEvent): void;
}

/** The methods of {@link ResiliencePlugin} that take one event. */
export type PluginHookName = Exclude<keyof ResiliencePlugin, 'name' | 'wrapAttempt'>;
