/**
 * The names this package records: span attributes, span event names, metric names and the values of
 * `event.name` on the events counter. Exported so dashboards, alerts and tests can refer to them
 * without repeating the strings. Everything of ours lives under the `resilient.` prefix; `error.type`
 * and `event.name` are the OpenTelemetry semantic-convention keys.
 */

/** Span and metric attribute keys. */
export const ATTRIBUTES = Object.freeze({
  /** The service, such as `stripe`; absent when the policy names none. */
  service: 'resilient.service',
  /** The low-cardinality operation name, such as `customers.create`. */
  operation: 'resilient.operation',
  /** The attempt number, from 1. */
  attemptNumber: 'resilient.attempt.number',
  /** The wait before this attempt, in milliseconds (0 for the first). */
  attemptDelayMs: 'resilient.attempt.delay_ms',
  /** How many attempts the operation ran (0 when it was refused before the first). */
  attemptCount: 'resilient.attempt.count',
  /** `success`, `failure`, `fallback` (operations only) or `cancelled` (the caller aborted). */
  outcome: 'resilient.outcome',
  /** The error's kind, such as `rate-limit` or `circuit-open`; also on handled and cancelled errors. */
  errorKind: 'resilient.error.kind',
  /** Whether a retry could help the error. */
  errorRetryable: 'resilient.error.retryable',
  /** Whether the request reached the provider: `not-sent`, `failed` or `unknown`. */
  errorOutcome: 'resilient.error.outcome',
  /** The HTTP status of the provider's answer, when there was one. */
  errorStatus: 'resilient.error.status',
  /** The provider's own error code, such as `card_declined`, with credentials redacted. */
  errorCode: 'resilient.error.code',
  /** The provider's request id, with credentials redacted. */
  errorRequestId: 'resilient.error.request_id',
  /** How long the provider (or our breaker or limiter) asked us to wait, in milliseconds. */
  errorRetryAfterMs: 'resilient.error.retry_after_ms',
  /** The circuit breaker's name (its service unless named otherwise). */
  breakerName: 'resilient.breaker.name',
  /** The breaker's state: `closed`, `open`, `half-open` or `isolated`. */
  breakerState: 'resilient.breaker.state',
  /** The breaker's state before a change. */
  breakerPreviousState: 'resilient.breaker.previous_state',
  /** The wait before the next attempt, in milliseconds, on a retry event. */
  retryDelayMs: 'resilient.retry.delay_ms',
  /** What refused the call: `circuit-breaker`, `bulkhead` or `rate-limiter`. */
  rejectedBy: 'resilient.rejected_by',
  /** Semantic convention: the kind of a failure, set only where the described span or measurement failed. */
  errorType: 'error.type',
  /** Semantic convention: the event on the events counter. */
  eventName: 'event.name',
} as const);

/** Names of the span events, all recorded on the operation span. */
export const SPAN_EVENTS = Object.freeze({
  /** A retry was scheduled after a failed attempt. */
  retry: 'resilient.retry',
  /** A circuit breaker changed state during the operation. */
  breakerStateChange: 'resilient.breaker.state_change',
  /** A fallback replaced the error. */
  fallback: 'resilient.fallback',
  /** A breaker, bulkhead or rate limiter refused the call. */
  rejected: 'resilient.rejected',
} as const);

/** Names of the metric instruments (all opt-in, with `metrics: true`). */
export const METRICS = Object.freeze({
  /** Histogram, seconds: the duration of each attempt. Its count is the number of attempts. */
  attemptDuration: 'resilient.attempt.duration',
  /** Histogram, seconds: the duration of each operation, waits between attempts included. */
  operationDuration: 'resilient.operation.duration',
  /** Histogram, `{attempt}`: how many attempts each operation ran. */
  operationAttempts: 'resilient.operation.attempts',
  /** Counter, `{event}`: retries, fallbacks, breaker transitions and rejections, by `event.name`. */
  events: 'resilient.events',
  /** Observable gauge, `{state}`: 1 for each breaker's current state, 0 for its other states. */
  breakerState: 'resilient.breaker.state',
} as const);

/** The values of `event.name` on the `resilient.events` counter. */
export const EVENT_NAMES = Object.freeze({
  retry: 'retry',
  fallback: 'fallback',
  breakerOpened: 'breaker_opened',
  breakerHalfOpened: 'breaker_half_opened',
  breakerClosed: 'breaker_closed',
  breakerIsolated: 'breaker_isolated',
  breakerRejected: 'breaker_rejected',
  bulkheadRejected: 'bulkhead_rejected',
  rateLimiterRejected: 'rate_limiter_rejected',
} as const);

/** One of the {@link EVENT_NAMES} values. */
export type ResilienceEventName = (typeof EVENT_NAMES)[keyof typeof EVENT_NAMES];
