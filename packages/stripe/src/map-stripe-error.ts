import {
  AuthError,
  classifyError,
  type ErrorKind,
  KIND_INFO,
  type Outcome,
  outcomeFromStatus,
  RateLimitError,
  ResilientError,
  readHeader,
} from '@resilient/core';
import { readStripeErrorFields, type StripeErrorFields } from './stripe-error-fields';

/** Options of {@link mapStripeError}. */
export interface MapStripeErrorOptions {
  /** The service stamped on the error. Default: `stripe`. */
  readonly service?: string;
  /** The current time in epoch milliseconds, for HTTP-date `Retry-After` values. Default: `Date.now()`. */
  readonly now?: number;
}

/** How one Stripe error class maps onto the taxonomy. */
interface Rule {
  readonly kind: ErrorKind;
  readonly outcome: Outcome;
  /** Overrides the kind's default. */
  readonly retryable?: boolean;
  /** No `Stripe-Should-Retry` header changes it: a declined card stays declined. */
  readonly final?: boolean;
}

/**
 * Maps what stripe-node throws to a `ResilientError`, building on core's `classifyError` (which reads
 * the status, the `request-id`, `Retry-After` and the network codes, and scrubs secrets from the cause)
 * and overriding it where Stripe needs it:
 *
 * | Stripe error | kind | retried |
 * | --- | --- | --- |
 * | `StripeCardError` (402) | `invalid-request`, `code` = `card_declined`... | never; not a breaker failure |
 * | `StripeRateLimitError` (429) | `rate-limit` (a `RateLimitError`) | yes, with backoff |
 * | `StripeIdempotencyError` | `conflict` | no |
 * | 409 `idempotency_key_in_use` (a `StripeAPIError`) | `conflict` | yes: the first request is still running |
 * | `StripeAuthenticationError` | `auth` (an `AuthError`) | no |
 * | `StripePermissionError` | `permission` (an `AuthError`) | no |
 * | `StripeInvalidRequestError` | `not-found` on 404, else `invalid-request` | no |
 * | `StripeAPIError` | `server`; outcome `unknown` for 500, 502, 504 and an unreadable body | yes |
 * | `StripeConnectionError` | `network`; outcome `unknown` (`not-sent` when the connection was refused) | yes |
 *
 * Then Stripe's own advice: `Stripe-Should-Retry: true|false` sets `retryable` (except for a card
 * error), and an answer marked `Idempotent-Replayed: true` is never retryable: it is the saved answer of
 * the first request under that key, and every retry with the key gets it again. A replayed 500 says so
 * in its message: the request may have been applied, so reconcile before trying again with a new key.
 *
 * The error keeps the request id, Stripe's `code` and, as `cause`, the original stripe-node error
 * (so `decline_code` and `payment_intent` stay at hand), scrubbed of secrets. Anything that is not a
 * stripe-node error is classified by `classifyError` alone. Never throws.
 */
export function mapStripeError(error: unknown, options: MapStripeErrorOptions = {}): ResilientError {
  const service = options.service ?? 'stripe';
  const base = classifyError(error, { service, now: options.now });
  const fields = readStripeErrorFields(error);
  const rule = fields === undefined ? undefined : ruleFor(fields, base);
  if (fields === undefined || rule === undefined) return base;
  const replayed = readHeader(fields.headers, 'idempotent-replayed') === 'true';
  const advice = readHeader(fields.headers, 'stripe-should-retry');
  let retryable = rule.retryable ?? KIND_INFO[rule.kind].retryable;
  if (!rule.final && advice === 'true') retryable = true;
  if (!rule.final && advice === 'false') retryable = false;
  if (replayed) retryable = false;
  const errorOptions = {
    message: describe(base.message, fields, replayed, rule.outcome),
    retryable,
    service,
    status: fields.statusCode,
    retryAfterMs: base.retryAfterMs,
    requestId: base.requestId ?? fields.requestId,
    outcome: rule.outcome,
    code: fields.code ?? base.code,
    cause: base.cause,
  };
  if (rule.kind === 'rate-limit') return new RateLimitError({ ...errorOptions, kind: 'rate-limit' });
  if (rule.kind === 'auth' || rule.kind === 'permission')
    return new AuthError({ ...errorOptions, kind: rule.kind });
  return new ResilientError({ ...errorOptions, kind: rule.kind });
}

function ruleFor(fields: StripeErrorFields, base: ResilientError): Rule | undefined {
  // stripe-node picks the class from the status alone: Stripe's 409 for a key in use is a StripeAPIError.
  if (fields.code === 'idempotency_key_in_use')
    return { kind: 'conflict', outcome: 'failed', retryable: true };
  switch (fields.type) {
    case 'StripeCardError':
      return { kind: 'invalid-request', outcome: 'failed', retryable: false, final: true };
    case 'StripeRateLimitError':
      return { kind: 'rate-limit', outcome: 'failed' };
    case 'StripeIdempotencyError':
      return { kind: 'conflict', outcome: 'failed', retryable: false };
    case 'StripeAuthenticationError':
      return { kind: 'auth', outcome: 'failed' };
    case 'StripePermissionError':
      return { kind: 'permission', outcome: 'failed' };
    case 'StripeInvalidRequestError':
      return { kind: fields.statusCode === 404 ? 'not-found' : 'invalid-request', outcome: 'failed' };
    case 'StripeAPIError':
      // No status: the body was not JSON (a malformed 200 included), so the request may have been applied.
      return {
        kind: 'server',
        outcome: fields.statusCode === undefined ? 'unknown' : outcomeFromStatus(fields.statusCode),
      };
    case 'StripeConnectionError':
      // The underlying code (in `detail`, read by classifyError) tells a refused connection apart.
      return { kind: 'network', outcome: base.outcome === 'not-sent' ? 'not-sent' : 'unknown' };
  }
  return undefined;
}

function describe(message: string, fields: StripeErrorFields, replayed: boolean, outcome: Outcome): string {
  const details = [
    fields.type,
    fields.code,
    fields.statusCode === undefined ? undefined : `HTTP ${fields.statusCode}`,
  ];
  if (replayed) details.push('replayed');
  const described = `${message} (${details.filter(Boolean).join(', ')})`;
  if (!replayed || outcome !== 'unknown') return described;
  return `${described}. Stripe replayed the answer it saved for this idempotency key, so retrying with the key cannot change it; the request may have been applied: reconcile (retrieve the object, or wait for its webhook) before trying again with a new key`;
}
