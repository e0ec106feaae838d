import {
  AuthError,
  type HeadersLike,
  kindFromStatus,
  networkErrorInfo,
  outcomeFromStatus,
  RateLimitError,
  ResilientError,
  readHeader,
  redactText,
  retryAfterFromHeaders,
} from '@resilient/core';

/** Options of {@link mapSendGridError}. */
export interface MapSendGridErrorOptions {
  /** The service stamped on the error. Default: `sendgrid`. */
  readonly service?: string;
  /** The current time in epoch milliseconds, to turn `X-RateLimit-Reset` into a delay. Default: `Date.now()`. */
  readonly now?: number;
}

/** SendGrid's answer when an account's sending credits run out: a 401, but no key problem. */
const CREDITS_EXCEEDED = /maximum credits exceeded/i;

/**
 * Maps what `@sendgrid/mail`'s `send` rejects with to a `ResilientError`:
 * - a `ResponseError` (numeric `code` = the HTTP status, `response.headers`, `response.body.errors`)
 *   by its status: 400 and 413 `invalid-request`, 401 `auth` and 403 `permission` (`AuthError`; a 401
 *   "Maximum credits exceeded" is `quota-exceeded`), 404 `not-found`, 429 `rate-limit` (`RateLimitError`
 *   with `retryAfterMs` from `X-RateLimit-Reset`, epoch seconds), 500 `server` (outcome `unknown`),
 *   502/503/504 `unavailable`;
 * - an axios network error by its code: `ECONNREFUSED`/`ENOTFOUND` `network` not sent, `ECONNRESET`
 *   `network` with an `unknown` outcome, `ECONNABORTED`/`ETIMEDOUT` (the timeout) `timeout`, unknown
 *   outcome; any other axios failure `network`, unknown outcome;
 * - any other error (the SDK refused to build the mail) `invalid-request`, not sent.
 *
 * The error keeps as `cause` only a plain copy of the name, code, message and SendGrid's error
 * messages, redacted: never the axios config, request or response, which hold the `Authorization` header.
 */
export function mapSendGridError(error: unknown, options: MapSendGridErrorOptions = {}): ResilientError {
  if (ResilientError.isInstance(error)) return error;
  const service = options.service ?? 'sendgrid';
  const record = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const text =
    typeof record.message === 'string' && record.message !== '' ? redactText(record.message) : undefined;
  const response = record.response as { headers?: unknown; body?: unknown; status?: unknown } | undefined;
  const status = httpStatus(record.code) ?? httpStatus(response?.status);
  if (status !== undefined && typeof response === 'object' && response !== null) {
    const headers = response.headers as HeadersLike;
    const errors = errorEntries(response.body);
    const details = errors.map((entry) => entry.message).join('; ');
    const common = {
      message: `${service}: ${text ?? 'request failed'} (HTTP ${status})${details ? `: ${details}` : ''}`,
      service,
      status,
      requestId: readHeader(headers, 'x-request-id') ?? readHeader(headers, 'x-message-id'),
      outcome: outcomeFromStatus(status),
      cause: Object.freeze({
        name: 'ResponseError',
        code: status,
        message: text ?? null,
        errors: Object.freeze(errors),
      }),
    };
    const kind = kindFromStatus(status);
    if (status === 401 && CREDITS_EXCEEDED.test(details))
      return new RateLimitError({ ...common, kind: 'quota-exceeded' });
    if (kind === 'rate-limit') {
      return new RateLimitError({
        ...common,
        kind,
        retryAfterMs: retryAfterFromHeaders(headers, options.now ?? Date.now()),
      });
    }
    if (kind === 'auth' || kind === 'permission') return new AuthError({ ...common, kind });
    return new ResilientError({
      ...common,
      kind,
      retryAfterMs: retryAfterFromHeaders(headers, options.now ?? Date.now()),
    });
  }
  const code = typeof record.code === 'string' ? record.code : undefined;
  const name =
    record.isAxiosError === true ? 'AxiosError' : typeof record.name === 'string' ? record.name : 'Error';
  const cause = Object.freeze({ name, code: code ?? null, message: text ?? null });
  const message = `${service}: ${text ?? 'request failed'}${code ? ` (${code})` : ''}`;
  if (record.isAxiosError === true) {
    const causeCode = (record.cause as { code?: unknown } | undefined)?.code;
    const info = networkErrorInfo(code) ?? networkErrorInfo(causeCode);
    if (info !== undefined && info.kind !== 'cancelled') {
      return new ResilientError({ kind: info.kind, outcome: info.outcome, service, message, code, cause });
    }
    return new ResilientError({ kind: 'network', outcome: 'unknown', service, message, code, cause });
  }
  return new ResilientError({ kind: 'invalid-request', outcome: 'not-sent', service, message, code, cause });
}

function httpStatus(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599
    ? value
    : undefined;
}

/** SendGrid's `{ errors: [{ message, field }] }`, redacted; nothing when the body is something else. */
function errorEntries(body: unknown): { message: string; field: string | null }[] {
  const errors =
    typeof body === 'object' && body !== null ? (body as { errors?: unknown }).errors : undefined;
  if (!Array.isArray(errors)) return [];
  return errors.slice(0, 20).flatMap((entry: unknown) => {
    const { message, field } = (entry ?? {}) as { message?: unknown; field?: unknown };
    if (typeof message !== 'string') return [];
    return [{ message: redactText(message), field: typeof field === 'string' ? field : null }];
  });
}
