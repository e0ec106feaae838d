import type { HeadersLike } from '@resilient/core';

/** What the mapping reads from an error stripe-node threw. */
export interface StripeErrorFields {
  /** The class name stripe-node stores in `type`, such as `StripeCardError`. */
  readonly type: string;
  /** The API's own error type, such as `card_error` or `idempotency_error`. */
  readonly rawType: string | undefined;
  /** The API's error code, such as `card_declined` or `idempotency_key_in_use`. */
  readonly code: string | undefined;
  /** The HTTP status, when there was a response. */
  readonly statusCode: number | undefined;
  /** The response headers, when there was a response. */
  readonly headers: HeadersLike;
  /** The request id, from the error or the `request-id` header. */
  readonly requestId: string | undefined;
}

const STRIPE_CLASS = /^Stripe[A-Za-z]*Error$/;

/**
 * Reads the fields of a stripe-node error (`StripeCardError`, `StripeConnectionError`, ...), or gives
 * `undefined` for anything else. It keys off `type`, which stripe-node sets to the class name, rather
 * than `instanceof`, so it works with any copy of the SDK and never needs to import it. Never throws.
 */
export function readStripeErrorFields(error: unknown): StripeErrorFields | undefined {
  const type = get(error, 'type');
  if (typeof type !== 'string' || !STRIPE_CLASS.test(type)) return undefined;
  const statusCode = get(error, 'statusCode');
  const headers = get(error, 'headers');
  const requestId = get(error, 'requestId');
  return {
    type,
    rawType: text(get(error, 'rawType')),
    code: text(get(error, 'code')),
    statusCode: typeof statusCode === 'number' && Number.isInteger(statusCode) ? statusCode : undefined,
    headers: typeof headers === 'object' && headers !== null ? (headers as HeadersLike) : undefined,
    requestId: text(requestId),
  };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
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
