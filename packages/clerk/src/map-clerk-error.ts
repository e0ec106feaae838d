import {
  AuthError,
  classifyError,
  type ErrorKind,
  kindFromStatus,
  RateLimitError,
  ResilientError,
} from '@resilient/core';

/** Options of {@link mapClerkError}. */
export interface MapClerkErrorOptions {
  /** The service stamped on the error. Default: `clerk`. */
  readonly service?: string;
  /** The current time in epoch milliseconds. Default: `Date.now()`. */
  readonly now?: number;
}

/** What the mapping reads from a `ClerkAPIResponseError`. */
interface ClerkErrorFields {
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly clerkTraceId: string | undefined;
  /** Whole seconds, from the `Retry-After` header. */
  readonly retryAfter: number | undefined;
}

/**
 * Maps what `@clerk/backend` throws to a `ResilientError`, building on core's `classifyError` (which
 * reads the status and scrubs secrets from the cause):
 *
 * | Clerk answer | kind | outcome | retried |
 * | --- | --- | --- | --- |
 * | 429 (`too_many_requests`) | `rate-limit` (a `RateLimitError`), `retryAfterMs` from `retryAfter` | `failed` | yes, after the delay |
 * | 401 (`authentication_invalid`) | `auth` (an `AuthError`) | `failed` | no |
 * | 403 (`authorization_invalid`) | `permission` (an `AuthError`) | `failed` | no |
 * | 404 (`resource_not_found`) | `not-found` | `failed` | no |
 * | 400, 422 (`form_*`) | `invalid-request` | `failed` | no |
 * | 409 | `conflict` | `failed` | no |
 * | 500, 502, 504 | `server` | `unknown` | reads only, or with look-before-retry |
 * | 503 | `unavailable` | `failed` | yes |
 * | no status: `unexpected_error` (fetch failed, reset, unreadable body) | `network` | `unknown` | reads only, or with look-before-retry |
 *
 * The error keeps Clerk's first error `code` as `code`, `clerkTraceId` as `requestId`, and the original
 * error, scrubbed of secrets, as `cause`. Anything that is not a Clerk API error is classified by
 * `classifyError` alone. Never throws.
 */
export function mapClerkError(error: unknown, options: MapClerkErrorOptions = {}): ResilientError {
  const service = options.service ?? 'clerk';
  const base = classifyError(error, { service, now: options.now });
  const fields = readClerkErrorFields(error);
  if (fields === undefined || ResilientError.isInstance(error)) return base;
  const kind: ErrorKind = fields.status === undefined ? 'network' : kindFromStatus(fields.status);
  const errorOptions = {
    message: describe(base.message, fields),
    service,
    status: fields.status,
    retryAfterMs:
      fields.retryAfter !== undefined && fields.retryAfter >= 0
        ? fields.retryAfter * 1000
        : base.retryAfterMs,
    requestId: fields.clerkTraceId ?? base.requestId,
    outcome: fields.status === undefined ? ('unknown' as const) : base.outcome,
    code: fields.code,
    cause: base.cause,
  };
  if (kind === 'rate-limit' || kind === 'quota-exceeded')
    return new RateLimitError({ ...errorOptions, kind });
  if (kind === 'auth' || kind === 'permission') return new AuthError({ ...errorOptions, kind });
  return new ResilientError({ ...errorOptions, kind });
}

/** Reads a `ClerkAPIResponseError` (by shape: `@clerk/shared` may be a copy other than ours), or `undefined`. */
function readClerkErrorFields(error: unknown): ClerkErrorFields | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const record = error as Record<string, unknown>;
  const isClerk =
    record.clerkError === true ||
    (record.constructor as { kind?: unknown } | undefined)?.kind === 'ClerkAPIResponseError';
  if (!isClerk || !Array.isArray(record.errors)) return undefined;
  const first: unknown = record.errors[0];
  const code =
    typeof first === 'object' && first !== null ? (first as Record<string, unknown>).code : undefined;
  const status = record.status;
  const trace = record.clerkTraceId;
  const retryAfter = record.retryAfter;
  return {
    status: typeof status === 'number' && status >= 400 && status <= 599 ? status : undefined,
    code: typeof code === 'string' && code !== '' ? code : undefined,
    clerkTraceId: typeof trace === 'string' && trace !== '' ? trace : undefined,
    retryAfter: typeof retryAfter === 'number' && Number.isFinite(retryAfter) ? retryAfter : undefined,
  };
}

function describe(message: string, fields: ClerkErrorFields): string {
  const details = [fields.code, fields.status === undefined ? 'no HTTP answer' : `HTTP ${fields.status}`];
  return `${message} (${details.filter(Boolean).join(', ')})`;
}
