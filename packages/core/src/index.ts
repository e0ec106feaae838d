// Errors and the taxonomy

// Classification: pure helpers
export { type ClassifyOptions, classifyError } from './classify/classify-error';
export { kindFromStatus, outcomeFromStatus } from './classify/http-status';
export { abortErrorInfo, type NetworkErrorInfo, networkErrorInfo } from './classify/network-error';
export { type HeadersLike, readHeader } from './classify/read-header';
export {
  MAX_HEADER_DELAY_MS,
  parseRateLimitHeader,
  parseRateLimitReset,
  parseRetryAfter,
  retryAfterFromHeaders,
} from './classify/retry-after';
export { redactText, scrubSecrets } from './classify/scrub-secrets';
// Time
export { type Clock, type RandomSource, systemClock } from './clock/clock';
export { AuthError } from './errors/auth-error';
export { CancelledError } from './errors/cancelled-error';
export { CircuitOpenError } from './errors/circuit-open-error';
export {
  ERROR_KINDS,
  type ErrorKind,
  isErrorKind,
  KIND_INFO,
  type KindInfo,
  type Outcome,
} from './errors/error-kind';
export { RateLimitError } from './errors/rate-limit-error';
export { type RejectedBy, RejectedError } from './errors/rejected-error';
export { hasMarker, ResilientError, type ResilientErrorOptions } from './errors/resilient-error';
export { TimeoutError, type TimeoutErrorOptions, type TimeoutScope } from './errors/timeout-error';
export { type IncidentGate, type IncidentGateOptions, incidentGate } from './hooks/incident-gate';
// Hooks
export type {
  AttemptEndEvent,
  AttemptStartEvent,
  BreakerStateChangeEvent,
  FallbackEvent,
  OperationEndEvent,
  OperationInfo,
  OperationStartEvent,
  RejectedEvent,
  ResiliencePlugin,
  RetryScheduledEvent,
} from './hooks/plugin';
export {
  onPluginError,
  type PluginErrorHandler,
  registeredPlugins,
  registerPlugin,
} from './hooks/plugin-registry';
// Policies
export type { AttemptContext, AttemptFunction, ExecuteOptions } from './internal/execution';
export {
  type BreakDuration,
  type BreakDurationOptions,
  breakDurationFor,
} from './policies/breaker/break-duration';
export type {
  BreakerStrategyOptions,
  ConsecutiveStrategyOptions,
  SamplingStrategyOptions,
} from './policies/breaker/breaker-strategy';
export {
  type CircuitBreakerOptions,
  CircuitBreakerPolicy,
  circuitBreaker,
  type StateChangeListener,
} from './policies/breaker/circuit-breaker';
export type {
  CircuitFleet,
  CircuitFleetJoinOptions,
  CircuitFleetMember,
  CircuitFleetState,
} from './policies/breaker/circuit-fleet';
export {
  type CircuitSnapshot,
  type CircuitStateStore,
  memoryStateStore,
} from './policies/breaker/circuit-snapshot';
export type { CircuitState } from './policies/breaker/circuit-state';
export { type BulkheadOptions, BulkheadPolicy, bulkhead } from './policies/bulkhead';
export { type FallbackOptions, FallbackPolicy, fallback } from './policies/fallback';
export { Pipeline, type PipelineOptions, pipeline } from './policies/pipeline';
export type { Policy, PolicyOptions } from './policies/policy';
export type { RateLimitBucket, RateLimitDecision, RateLimitFleet } from './policies/rate-limit-fleet';
export { type RateLimiterOptions, RateLimiterPolicy, rateLimiter } from './policies/rate-limiter';
export {
  RESILIENT_DEFAULTS,
  type ResilientOptions,
  ResilientPipeline,
  resilient,
} from './policies/resilient';
export {
  type Backoff,
  constantBackoff,
  decorrelatedJitterBackoff,
  type ExponentialBackoffOptions,
  exponentialBackoff,
  exponentialFullJitterBackoff,
} from './policies/retry/backoff';
export { type RetryOptions, RetryPolicy, retry } from './policies/retry/retry';
export type { RetryBudgetOptions } from './policies/retry/retry-budget';
export { PIPELINE_OPTION_NAMES, splitPipelineOptions } from './policies/split-pipeline-options';
export { type TimeoutOptions, TimeoutPolicy, timeout } from './policies/timeout/timeout';
