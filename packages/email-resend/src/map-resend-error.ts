import {
  AuthError,
  type ErrorKind,
  kindFromStatus,
  networkErrorInfo,
  type Outcome,
  outcomeFromStatus,
  parseRetryAfter,
  RateLimitError,
  ResilientError,
  readHeader,
  redactText,
  retryAfterFromHeaders,
} from '@resilient/core';

/** The error object the Resend SDK returns in `{ error }`: the API's JSON body, unchecked. */
export interface ResendErrorLike {
  readonly name?: unknown;
  readonly statusCode?: unknown;
  readonly message?: unknown;
  /** The network error code `NetworkAwareResend` adds to a failed `fetch`, such as `ECONNREFUSED`. */
  readonly code?: unknown;
}

/** What an error name means, when the name alone decides it. */
interface NamedRule {
  readonly kind: ErrorKind;
  readonly retryable?: boolean;
}

/**
 * Resend's error names whose meaning does not depend on the status. `application_error`,
 * `internal_server_error` and unknown names are read from the status instead (see {@link mapResendError}).
 */
export const RESEND_ERROR_KINDS: Readonly<Record<string, NamedRule>> = {
  rate_limit_exceeded: { kind: 'rate-limit' },
  daily_quota_exceeded: { kind: 'quota-exceeded' },
  monthly_quota_exceeded: { kind: 'quota-exceeded' },
  validation_error: { kind: 'invalid-request' },
  missing_required_field: { kind: 'invalid-request' },
  invalid_idempotency_key: { kind: 'invalid-request' },
  invalid_attachment: { kind: 'invalid-request' },
  invalid_from_address: { kind: 'invalid-request' },
  invalid_access: { kind: 'invalid-request' },
  invalid_parameter: { kind: 'invalid-request' },
  invalid_region: { kind: 'invalid-request' },
  method_not_allowed: { kind: 'invalid-request' },
  security_error: { kind: 'invalid-request' },
  missing_api_key: { kind: 'auth' },
  invalid_api_key: { kind: 'auth' },
  restricted_api_key: { kind: 'permission' },
  not_found: { kind: 'not-found' },
  // The first request with this key is still running: retrying later is safe and may succeed.
  concurrent_idempotent_requests: { kind: 'conflict', retryable: true },
  // The key was used with another payload: no retry can succeed.
  invalid_idempotent_request: { kind: 'conflict', retryable: false },
};

/** Options of {@link mapResendError}. */
export interface MapResendErrorOptions {
  /** The service stamped on the error. Default: `resend`. */
  readonly service?: string;
  /** The current time in epoch milliseconds, for HTTP-date `Retry-After` values. Default: `Date.now()`. */
  readonly now?: number;
}

/**
 * Maps the `{ error, headers }` the Resend SDK returns to a `ResilientError`:
 * - a name in {@link RESEND_ERROR_KINDS} decides the kind (`rate_limit_exceeded` is a `RateLimitError`
 *   with `retryAfterMs` from `retry-after`/`ratelimit-reset`; the quotas are `quota-exceeded` and not
 *   retried; the key errors are an `AuthError`); its outcome is `failed`, or `not-sent` when the SDK
 *   refused the call itself (`statusCode: null`);
 * - any other `invalid_*` name is `invalid-request`;
 * - anything else with `statusCode: null` (the SDK's `application_error` for a failed `fetch`, a reset,
 *   a timeout or an unreadable 2xx body) is `network` with an `unknown` outcome: it may have been sent;
 *   unless it carries a network `code` (as `NetworkAwareResend` adds) that says more: `ECONNREFUSED`
 *   and `ENOTFOUND` are `network` not sent, a connect timeout a `timeout` not sent;
 * - anything else with a status is read from the status: 500 `server` (outcome `unknown`), 502/503/504
 *   `unavailable`, and so on.
 *
 * The error keeps the name as `code`, the status, the request id from `x-request-id`/`request-id`, and
 * as `cause` a plain copy of `{ name, statusCode, message, code? }` with secrets redacted: never the SDK's
 * objects, never the client (which holds the API key).
 */
export function mapResendError(
  error: ResendErrorLike,
  headers: Readonly<Record<string, string>> | null | undefined,
  options: MapResendErrorOptions = {},
): ResilientError {
  const service = options.service ?? 'resend';
  const now = options.now ?? Date.now();
  const name = typeof error.name === 'string' && error.name !== '' ? error.name : undefined;
  const status = isHttpStatus(error.statusCode) ? error.statusCode : undefined;
  const text =
    typeof error.message === 'string' && error.message !== '' ? redactText(error.message) : undefined;
  const networkCode = typeof error.code === 'string' && error.code !== '' ? error.code : undefined;
  const common = {
    message: describe(service, text, [
      name,
      networkCode,
      status === undefined ? undefined : `HTTP ${status}`,
    ]),
    service,
    status,
    code: name,
    requestId: readHeader(headers, 'x-request-id') ?? readHeader(headers, 'request-id'),
    cause: Object.freeze({
      name: name ?? null,
      statusCode: status ?? null,
      message: text ?? null,
      ...(networkCode === undefined ? {} : { code: networkCode }),
    }),
  };
  const rule = name === undefined ? undefined : (RESEND_ERROR_KINDS[name] ?? prefixRule(name));
  if (rule !== undefined) {
    const outcome: Outcome = status === undefined ? 'not-sent' : 'failed';
    switch (rule.kind) {
      case 'rate-limit':
        return new RateLimitError({
          ...common,
          kind: 'rate-limit',
          outcome,
          retryAfterMs: retryAfterFromHeaders(headers, now),
        });
      case 'quota-exceeded':
        // The ratelimit-* headers describe the per-second limit, not the quota: only an explicit
        // Retry-After says when the quota resets.
        return new RateLimitError({
          ...common,
          kind: 'quota-exceeded',
          outcome,
          retryAfterMs: parseRetryAfter(readHeader(headers, 'retry-after'), now),
        });
      case 'auth':
      case 'permission':
        return new AuthError({ ...common, kind: rule.kind, outcome });
      default:
        return new ResilientError({ ...common, kind: rule.kind, outcome, retryable: rule.retryable });
    }
  }
  if (status === undefined) {
    // A failed fetch: only a network code (NetworkAwareResend adds it) can say that it never left.
    const network = networkErrorInfo(networkCode);
    if (network !== undefined && network.kind !== 'cancelled') {
      return new ResilientError({ ...common, kind: network.kind, outcome: network.outcome });
    }
    return new ResilientError({ ...common, kind: 'network', outcome: 'unknown' });
  }
  const kind = kindFromStatus(status);
  const retryAfterMs = retryAfterFromHeaders(headers, now);
  if (kind === 'rate-limit') return new RateLimitError({ ...common, kind, retryAfterMs });
  if (kind === 'auth' || kind === 'permission') return new AuthError({ ...common, kind });
  return new ResilientError({ ...common, kind, retryAfterMs, outcome: outcomeFromStatus(status) });
}

function prefixRule(name: string): NamedRule | undefined {
  return name.startsWith('invalid_') ? { kind: 'invalid-request' } : undefined;
}

function isHttpStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599;
}

function describe(
  service: string,
  text: string | undefined,
  details: readonly (string | undefined)[],
): string {
  const detail = details.filter(Boolean).join(', ');
  return `${service}: ${text ?? 'the request failed'}${detail ? ` (${detail})` : ''}`;
}
