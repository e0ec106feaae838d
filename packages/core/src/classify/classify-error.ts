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
 * (also in the `cause` chain, where `fetch` puts them); `AbortError` and `TimeoutError` names. Anything
 * else is `unknown` and not retryable. The original is kept as `cause`, scrubbed of secrets in place.
 */
export function classifyError(error: unknown, options: ClassifyOptions = {}): ResilientError {
  if (ResilientError.isInstance(error)) {
    if (error.service === undefined && options.service !== undefined) error.service = options.service;
    return error;
  }
  const service = options.service;
  const source = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const cause = scrubSecrets(error);
  const message = describe(error, service);

  const status = statusOf(source);
  const providerCode = providerCodeOf(source);
  if (status !== undefined) {
    const headers = headersOf(source);
    const retryAfterMs = retryAfterFromHeaders(headers, options.now ?? Date.now());
    const requestId = requestIdOf(source, headers);
    const refined = providerCode === undefined ? undefined : CODE_KINDS[providerCode];
    const kind = refined ?? kindFromStatus(status);
    const common = {
      message,
      service,
      status,
      retryAfterMs,
      requestId,
      code: providerCode,
      outcome: outcomeFromStatus(status),
      cause,
    };
    if (kind === 'rate-limit' || kind === 'quota-exceeded') return new RateLimitError({ ...common, kind });
    if (kind === 'auth' || kind === 'permission') return new AuthError({ ...common, kind });
    const retryable = providerCode !== undefined && RETRYABLE_CONFLICTS.has(providerCode) ? true : undefined;
    return new ResilientError({ ...common, kind, retryable });
  }

  const network = networkInfoOf(error);
  if (network !== undefined) {
    if (network.kind === 'cancelled') return new CancelledError({ reason: error, service });
    return new ResilientError({ kind: network.kind, outcome: network.outcome, message, service, cause });
  }
  return new ResilientError({ kind: 'unknown', outcome: 'unknown', message, service, cause });
}

function statusOf(source: Record<string, unknown>): number | undefined {
  for (const value of [
    source.status,
    source.statusCode,
    (source.response as Record<string, unknown> | undefined)?.status,
  ]) {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599) return value;
  }
  // SendGrid's ResponseError puts the HTTP status in a numeric `code`.
  if (
    typeof source.code === 'number' &&
    Number.isInteger(source.code) &&
    source.code >= 400 &&
    source.code <= 599
  ) {
    return source.code;
  }
  return undefined;
}

function providerCodeOf(source: Record<string, unknown>): string | undefined {
  for (const value of [source.code, source.type, source.name]) {
    if (typeof value === 'string' && Object.hasOwn(CODE_KINDS, value)) return value;
  }
  return typeof source.code === 'string' && /^[a-z][a-z0-9_]*$/.test(source.code) ? source.code : undefined;
}

function headersOf(source: Record<string, unknown>): HeadersLike {
  const headers = source.headers ?? (source.response as Record<string, unknown> | undefined)?.headers;
  return typeof headers === 'object' ? (headers as HeadersLike) : undefined;
}

function requestIdOf(source: Record<string, unknown>, headers: HeadersLike): string | undefined {
  for (const value of [source.requestId, source.request_id])
    if (typeof value === 'string' && value) return value;
  return (
    readHeader(headers, 'request-id') ??
    readHeader(headers, 'x-request-id') ??
    readHeader(headers, 'x-message-id')
  );
}

function networkInfoOf(error: unknown): { kind: ErrorKind; outcome: Outcome } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const record = current as Record<string, unknown>;
    const info = networkErrorInfo(record.code) ?? abortErrorInfo(record.name);
    if (info !== undefined) return info;
    current = record.cause;
  }
  return undefined;
}

function describe(error: unknown, service: string | undefined): string {
  const prefix = service === undefined ? '' : `${service}: `;
  if (error instanceof Error && error.message) return prefix + redactText(error.message);
  if (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  ) {
    return prefix + redactText((error as { message: string }).message);
  }
  if (typeof error === 'string') return prefix + redactText(error);
  return `${prefix}call failed`;
}
