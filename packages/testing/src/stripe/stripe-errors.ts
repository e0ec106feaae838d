import type { FakeResponse } from '../core/fake-server';
import type { StatusFault } from '../core/fault';
import { jsonResponse } from '../core/serve-with-fault';

/** The `error` object of a Stripe v1 error answer, as stripe-node copies it onto its error classes. */
export interface StripeErrorBody {
  /** `api_error`, `card_error`, `idempotency_error` or `invalid_request_error`. */
  readonly type: string;
  readonly message: string;
  /** A machine-readable code, such as `card_declined` or `resource_missing`. */
  readonly code?: string;
  /** For card errors: why the issuer declined, such as `insufficient_funds`. */
  readonly decline_code?: string;
  /** The parameter the error is about. */
  readonly param?: string;
  /** For a failed PaymentIntent confirmation: the PaymentIntent, as it is after the failure. */
  readonly payment_intent?: unknown;
}

/** A Stripe error code with the status and type the API answers it with. */
export interface StripeErrorInfo {
  readonly status: number;
  readonly type: string;
  readonly message: string;
}

/** Stripe error codes the fake knows, with the status, type and message it answers them with. */
export const STRIPE_ERRORS: Readonly<Record<string, StripeErrorInfo>> = {
  card_declined: { status: 402, type: 'card_error', message: 'Your card was declined.' },
  expired_card: { status: 402, type: 'card_error', message: 'Your card has expired.' },
  incorrect_cvc: { status: 402, type: 'card_error', message: "Your card's security code is incorrect." },
  processing_error: {
    status: 402,
    type: 'card_error',
    message: 'An error occurred while processing your card. Try again in a little bit.',
  },
  parameter_missing: { status: 400, type: 'invalid_request_error', message: 'Missing required param.' },
  parameter_invalid_integer: {
    status: 400,
    type: 'invalid_request_error',
    message: 'Invalid integer.',
  },
  resource_missing: { status: 404, type: 'invalid_request_error', message: 'No such object.' },
  payment_intent_unexpected_state: {
    status: 400,
    type: 'invalid_request_error',
    message: "This PaymentIntent's state does not allow the request.",
  },
  amount_too_large: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The amount is greater than what can be refunded.',
  },
  charge_already_refunded: {
    status: 400,
    type: 'invalid_request_error',
    message: 'This charge has already been refunded.',
  },
  api_key_expired: { status: 401, type: 'invalid_request_error', message: 'Expired API Key provided.' },
  secret_key_required: {
    status: 403,
    type: 'invalid_request_error',
    message: 'The provided key does not have the required permissions for this endpoint.',
  },
  idempotency_key_in_use: {
    status: 409,
    type: 'invalid_request_error',
    message:
      'There is currently another in-progress request using this Stripe-Idempotency-Key. Please try again later.',
  },
  lock_timeout: {
    status: 429,
    type: 'invalid_request_error',
    message:
      'This object cannot be accessed right now because another API request or Stripe process is currently accessing it.',
  },
  rate_limit: {
    status: 429,
    type: 'invalid_request_error',
    message:
      'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
  },
};

/** The code a status fault gets when it names none. */
const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  402: 'card_declined',
  404: 'resource_missing',
  409: 'idempotency_key_in_use',
  429: 'rate_limit',
};

/** Stripe's JSON error answer: `{ error: { type, message, code?, ... } }`. */
export function stripeErrorResponse(
  status: number,
  error: StripeErrorBody,
  headers: Readonly<Record<string, string>> = {},
): FakeResponse {
  return jsonResponse(status, { error }, headers);
}

/** The answer for a known error code, with its usual status, type and message unless given. */
export function stripeError(
  code: string,
  options: {
    message?: string;
    param?: string;
    status?: number;
    headers?: Readonly<Record<string, string>>;
  } = {},
): FakeResponse {
  const info = STRIPE_ERRORS[code];
  const status = options.status ?? info?.status ?? 400;
  return stripeErrorResponse(
    status,
    {
      type: info?.type ?? typeForStatus(status),
      message: options.message ?? info?.message ?? 'An error occurred.',
      code,
      ...(code === 'card_declined' ? { decline_code: 'generic_decline' } : {}),
      ...(options.param === undefined ? {} : { param: options.param }),
    },
    options.headers,
  );
}

/**
 * Stripe's answer for a status fault: `code` (or the usual one for the status: 402 `card_declined`,
 * 404 `resource_missing`, 409 `idempotency_key_in_use`, 429 `rate_limit`) with its type and message;
 * a 5xx is an `api_error` without a code; a raw `body` is sent as is (an HTML page from a proxy).
 * The fault's `headers` are added, so `{ 'stripe-should-retry': 'true' }` models Stripe's advice.
 * Stripe sends no `Retry-After`; a 429 fault that gives `retryAfterSeconds` gets one anyway.
 */
export function renderStripeStatusFault(fault: StatusFault): FakeResponse {
  const code = fault.code ?? (fault.status === undefined ? undefined : CODE_BY_STATUS[fault.status]);
  const status = fault.status ?? (code === undefined ? 500 : (STRIPE_ERRORS[code]?.status ?? 400));
  const headers: Record<string, string> = {};
  if (status === 429 && fault.retryAfterSeconds !== undefined)
    headers['retry-after'] = String(fault.retryAfterSeconds);
  Object.assign(headers, fault.headers);
  if (fault.body !== undefined) {
    return { status, headers: { 'content-type': 'text/html', ...headers }, body: fault.body };
  }
  if (code === undefined) {
    return stripeErrorResponse(
      status,
      { type: 'api_error', message: fault.message ?? 'An unknown error occurred' },
      headers,
    );
  }
  return stripeError(code, { status, message: fault.message, headers });
}

function typeForStatus(status: number): string {
  if (status === 402) return 'card_error';
  return status >= 500 ? 'api_error' : 'invalid_request_error';
}
