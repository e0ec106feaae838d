import { AuthError } from '../errors/auth-error';
import { CancelledError } from '../errors/cancelled-error';
import type { ErrorKind, Outcome } from '../errors/error-kind';
import { RateLimitError } from '../errors/rate-limit-error';
import { ResilientError } from '../errors/resilient-error';
import { kindFromStatus, outcomeFromStatus } from './http-status';
import { abortErrorInfo, networkErrorInfo } from './network-error';
import { type HeadersLike, readHeader } from './read-header';
import { retryAfterFromHeaders } from './retry-after';
import { redactText, scrubSecrets } from './scrub-secrets';

/** Options of {@link classifyError}. */
export interface ClassifyOptions {
  /** The service the call went to; stamped on the error. */
  service?: string;
  /** The current time in epoch milliseconds, for HTTP-date `Retry-After` values. Default: `Date.now()`. */
  now?: number;
}

/** Provider error codes (Stripe's `code`, Resend's `name`) that refine what the status alone says. */
const CODE_KINDS: Readonly<Record<string, ErrorKind>> = {
  rate_limit: 'rate-limit',
  rate_limit_exceeded: 'rate-limit',
  daily_quota_exceeded: 'quota-exceeded',
  monthly_quota_exceeded: 'quota-exceeded',
  quota_exceeded: 'quota-exceeded',
  invalid_api_key: 'auth',
  missing_api_key: 'auth',
  restricted_api_key: 'permission',
  idempotency_key_in_use: 'conflict',
  concurrent_idempotent_requests: 'conflict',
  invalid_idempotent_request: 'conflict',
  idempotency_error: 'conflict',
};

/** Conflicts that clear up by themselves: the first request with the same key is still running. */
const RETRYABLE_CONFLICTS = new Set(['idempotency_key_in_use', 'concurrent_idempotent_requests']);

/**
 * Turns anything a call threw (or an error object an SDK returned) into a {@link ResilientError}.
 *
 * Reads, in order: an error that already is a `ResilientError` (returned as is); an HTTP status
 * (`status`, `statusCode`, `response.status`, or a numeric `code` as SendGrid sets it) with the
 * provider's error code and its `Retry-After`/rate-limit headers; Node, undici and axios network codes
 * (also in the `cause` chain, where `fetch` puts them, in Stripe's `detail`, where `StripeConnectionError`
 * keeps them, and in `AggregateError.errors`); `AbortError` and `TimeoutError` names. Anything else is
 * `unknown` and not retryable. The original is kept as `cause`, scrubbed of secrets in place (a thrown
 * string is kept redacted). Never throws.
 */
export function classifyError(error: unknown, options: ClassifyOptions = {}): ResilientError {
  if (ResilientError.isInstance(error)) {
    if (error.service === undefined && options.service !== undefined) {
      try {
        error.service = options.service;
      } catch {
        // A frozen error from another copy of the package: return it as it is.
      }
    }
    return error;
  }
  const service = options.service;
  const source = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  // A thrown string is its own cause: keep the redacted text, never the original.
  const cause = typeof error === 'string' ? redactText(error) : scrubSecrets(error);
  const message = describe(error, service);

  const status = statusOf(source);
  const providerCode = providerCodeOf(source);
  if (status !== undefined) {
    const headers = headersOf(source);
    // No headers, no clock read: a bare status is classified without touching the time.
    const retryAfterMs =
      headers == null ? undefined : retryAfterFromHeaders(headers, options.now ?? Date.now());
    const requestId = requestIdOf(source, headers);
    const refined = providerCode === undefined ? undefined : CODE_KINDS[providerCode];
    const kind = refined ?? kindFromStatus(status);
    // One literal with every field, no spreads: a spread here costs more than the error itself.
    const errorOptions = {
      kind,
      message,
      retryable: providerCode !== undefined && RETRYABLE_CONFLICTS.has(providerCode) ? true : undefined,
      service,
      status,
      retryAfterMs,
      requestId,
      outcome: outcomeFromStatus(status),
      code: providerCode,
      cause,
    };
    if (kind === 'rate-limit' || kind === 'quota-exceeded')
      return new RateLimitError(errorOptions as typeof errorOptions & { kind: typeof kind });
    if (kind === 'auth' || kind === 'permission')
      return new AuthError(errorOptions as typeof errorOptions & { kind: typeof kind });
    return new ResilientError(errorOptions);
  }

  const network = networkInfoOf(error);
  if (network !== undefined) {
    if (network.kind === 'cancelled') return new CancelledError({ reason: cause, service });
    return new ResilientError({ kind: network.kind, outcome: network.outcome, message, service, cause });
  }
  return new ResilientError({ kind: 'unknown', outcome: 'unknown', message, service, cause });
}

function statusOf(source: Record<string, unknown>): number | undefined {
  const status = get(source, 'status');
  if (isErrorStatus(status)) return status;
  const statusCode = get(source, 'statusCode');
  if (isErrorStatus(statusCode)) return statusCode;
  const responseStatus = get(get(source, 'response'), 'status');
  if (isErrorStatus(responseStatus)) return responseStatus;
  // SendGrid's ResponseError puts the HTTP status in a numeric `code`.
  const code = get(source, 'code');
  return isErrorStatus(code) ? code : undefined;
}

function isErrorStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599;
}

/** Matches provider codes such as `card_declined` or `rate_limit_exceeded`, not class names like `TypeError`. */
const PROVIDER_CODE = /^[a-z][a-z0-9_]*$/;

function providerCodeOf(source: Record<string, unknown>): string | undefined {
  // Stripe: `code` (`rate_limit`), `rawType` (`idempotency_error`); Resend: `name` (`rate_limit_exceeded`).
  const code = get(source, 'code');
  if (isKnownCode(code)) return code;
  const type = get(source, 'type');
  if (isKnownCode(type)) return type;
  const rawType = get(source, 'rawType');
  if (isKnownCode(rawType)) return rawType;
  const name = get(source, 'name');
  if (isKnownCode(name)) return name;
  if (typeof code === 'string' && PROVIDER_CODE.test(code)) return code;
  // Resend's error objects name their code in `name` (`validation_error`, `not_found`, ...).
  return typeof name === 'string' && PROVIDER_CODE.test(name) ? name : undefined;
}

function isKnownCode(value: unknown): value is string {
  return typeof value === 'string' && Object.hasOwn(CODE_KINDS, value);
}

function headersOf(source: Record<string, unknown>): HeadersLike {
  const headers = get(source, 'headers') ?? get(get(source, 'response'), 'headers');
  return typeof headers === 'object' ? (headers as HeadersLike) : undefined;
}

function requestIdOf(source: Record<string, unknown>, headers: HeadersLike): string | undefined {
  const requestId = get(source, 'requestId');
  if (typeof requestId === 'string' && requestId) return requestId;
  const snakeRequestId = get(source, 'request_id');
  if (typeof snakeRequestId === 'string' && snakeRequestId) return snakeRequestId;
  if (headers == null) return undefined;
  return (
    readHeader(headers, 'request-id') ??
    readHeader(headers, 'x-request-id') ??
    readHeader(headers, 'x-message-id')
  );
}

/**
 * Looks for a network code or an abort name on the error and the errors it wraps: `cause` (where
 * `fetch` puts undici's error), Stripe's `detail` (where `StripeConnectionError` keeps Node's) and
 * `AggregateError.errors` (Node's happy-eyeballs connect). A `StripeConnectionError` with no code is
 * still a network failure whose outcome is unknown.
 */
function networkInfoOf(error: unknown): { kind: ErrorKind; outcome: Outcome } | undefined {
  let level: unknown[] = [error];
  const seen = new Set<unknown>();
  let stripeConnection = false;
  for (let depth = 0; depth < 5 && level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const current of level) {
      if (typeof current !== 'object' || current === null || seen.has(current)) continue;
      seen.add(current);
      const record = current as Record<string, unknown>;
      const info = networkErrorInfo(get(record, 'code')) ?? abortErrorInfo(get(record, 'name'));
      if (info !== undefined) return info;
      if (get(record, 'type') === 'StripeConnectionError') stripeConnection = true;
      next.push(get(record, 'cause'), get(record, 'detail'));
      const errors = get(record, 'errors');
      if (Array.isArray(errors)) next.push(...errors.slice(0, 10));
    }
    level = next;
  }
  return stripeConnection ? { kind: 'network', outcome: 'unknown' } : undefined;
}

function describe(error: unknown, service: string | undefined): string {
  const prefix = service === undefined ? '' : `${service}: `;
  const message = typeof error === 'string' ? error : get(error, 'message');
  if (typeof message === 'string' && message) return prefix + redactText(message);
  return `${prefix}call failed`;
}

/** Reads a property without ever throwing (getters and proxies may). */
function get(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}
