/**
 * The closed set of failure kinds. Every policy keys off `kind`, never off a provider's error class.
 *
 * | kind | meaning |
 * | --- | --- |
 * | `rate-limit` | the provider throttled us (429); `retryAfterMs` says when to come back |
 * | `quota-exceeded` | a daily or monthly cap: no retry helps before the reset |
 * | `auth` | invalid, expired or revoked credentials: needs a person |
 * | `permission` | the credentials are valid but not allowed to do this |
 * | `invalid-request` | the caller's mistake: validation, a declined card, a bad parameter |
 * | `not-found` | the resource does not exist |
 * | `conflict` | a conflicting write, idempotency conflicts included |
 * | `server` | the provider failed (5xx) |
 * | `unavailable` | the provider or a gateway in front of it is down or overloaded (502, 503, 504, 529) |
 * | `network` | the connection failed: reset, refused, DNS |
 * | `timeout` | an attempt or the whole operation took too long |
 * | `cancelled` | the caller aborted: never retried, never a provider failure |
 * | `circuit-open` | our circuit breaker rejected the call without sending it |
 * | `bulkhead-rejected` | our bulkhead was full, the call was not sent |
 * | `rate-limiter-rejected` | our client-side rate limiter had no token in time, the call was not sent |
 * | `unknown` | anything else, such as a bug in the function the policy ran |
 */
export type ErrorKind =
  | 'rate-limit'
  | 'quota-exceeded'
  | 'auth'
  | 'permission'
  | 'invalid-request'
  | 'not-found'
  | 'conflict'
  | 'server'
  | 'unavailable'
  | 'network'
  | 'timeout'
  | 'cancelled'
  | 'circuit-open'
  | 'bulkhead-rejected'
  | 'rate-limiter-rejected'
  | 'unknown';

/**
 * Whether the request reached the provider and what became of it:
 * - `not-sent`: it never left (refused connection, DNS failure, a local rejection): always safe to retry;
 * - `failed`: the provider answered that it did not apply it (a 4xx, a 429, a 503): safe to retry;
 * - `unknown`: it may have been applied (a timeout or a reset once the body was sent, a 500 or 502, Resend's
 *   `statusCode: null`): retry only an idempotent call or one that carries an idempotency key.
 */
export type Outcome = 'not-sent' | 'failed' | 'unknown';

/** Facts about one kind: the defaults that policies use. */
export interface KindInfo {
  /** Retried by default. */
  readonly retryable: boolean;
  /** Counts as a failure of the provider for a circuit breaker by default. */
  readonly providerFailure: boolean;
}

/** The defaults of every kind, in one table. */
export const KIND_INFO: Readonly<Record<ErrorKind, KindInfo>> = Object.freeze({
  'rate-limit': { retryable: true, providerFailure: false },
  'quota-exceeded': { retryable: false, providerFailure: false },
  auth: { retryable: false, providerFailure: false },
  permission: { retryable: false, providerFailure: false },
  'invalid-request': { retryable: false, providerFailure: false },
  'not-found': { retryable: false, providerFailure: false },
  conflict: { retryable: false, providerFailure: false },
  server: { retryable: true, providerFailure: true },
  unavailable: { retryable: true, providerFailure: true },
  network: { retryable: true, providerFailure: true },
  timeout: { retryable: true, providerFailure: true },
  cancelled: { retryable: false, providerFailure: false },
  'circuit-open': { retryable: false, providerFailure: false },
  'bulkhead-rejected': { retryable: false, providerFailure: false },
  'rate-limiter-rejected': { retryable: false, providerFailure: false },
  unknown: { retryable: false, providerFailure: false },
});

/** Every kind, in table order. */
export const ERROR_KINDS = Object.freeze(Object.keys(KIND_INFO) as ErrorKind[]);

/** Whether `value` is one of the {@link ErrorKind} names. */
export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && Object.hasOwn(KIND_INFO, value);
}
