import type { StripeCall } from './stripe-call';
import { STRIPE_ERRORS } from './stripe-errors';
import { type FakeStripePaymentIntent, type FakeStripeState, stripeId } from './stripe-objects';
import {
  booleanParam,
  invalidParam,
  metadataParam,
  missingResource,
  optionalInteger,
  optionalString,
  requiredString,
  StripeRequestError,
} from './stripe-params';
import { FAKE_STRIPE_PAYMENT_METHODS } from './stripe-test-payment-methods';

/** A confirmation the card refused: a 402 whose body carries the PaymentIntent as it now is. */
export class CardDeclinedError extends StripeRequestError {
  constructor(
    code: string,
    message: string,
    readonly declineCode: string | undefined,
    readonly paymentIntent: FakeStripePaymentIntent,
  ) {
    super(code, message, undefined, false);
    this.name = 'CardDeclinedError';
  }
}

const CURRENCY = /^[a-z]{3}$/;

/**
 * `POST /v1/payment_intents`: `amount` (a whole number of the smallest unit, at least 1) and
 * `currency` are required; `customer` and `payment_method` must exist; `confirm=true` confirms at once
 * (a decline then leaves the PaymentIntent created, in `requires_payment_method`, and answers 402).
 */
export function createPaymentIntent(state: FakeStripeState, call: StripeCall): FakeStripePaymentIntent {
  const { params } = call;
  const amount = optionalInteger(params, 'amount', { min: 1, max: 99_999_999 });
  if (amount === undefined)
    throw invalidParam('parameter_missing', 'Missing required param: amount.', 'amount');
  const currency = requiredString(params, 'currency').toLowerCase();
  if (!CURRENCY.test(currency))
    throw invalidParam('parameter_invalid_string', `Invalid currency: ${currency}`, 'currency');
  const confirm = booleanParam(params, 'confirm');
  const customer = optionalString(params, 'customer') ?? null;
  if (customer !== null && state.customer(customer) === undefined)
    throw missingResource('customer', customer, 'customer');
  const paymentMethod = optionalString(params, 'payment_method') ?? null;
  if (paymentMethod !== null) checkPaymentMethod(paymentMethod);
  const id = stripeId('pi');
  const intent = state.created<FakeStripePaymentIntent>(
    {
      id,
      object: 'payment_intent',
      created: state.nowSeconds,
      livemode: false,
      amount,
      currency,
      customer,
      client_secret: `${id}_secret_${stripeId('s', 25).slice(2)}`,
      description: optionalString(params, 'description') ?? null,
      metadata: metadataParam(params),
      payment_method: paymentMethod,
      status: paymentMethod === null ? 'requires_payment_method' : 'requires_confirmation',
      amount_received: 0,
      latest_charge: null,
      last_payment_error: null,
    },
    call.idempotencyKey,
  );
  return confirm ? charge(state, intent, call.idempotencyKey) : intent;
}

/** `GET /v1/payment_intents/:id`. */
export function retrievePaymentIntent(state: FakeStripeState, call: StripeCall): FakeStripePaymentIntent {
  const id = call.id ?? '';
  const intent = state.paymentIntent(id);
  if (intent === undefined) throw missingResource('payment_intent', id, 'intent');
  return intent;
}

/**
 * `POST /v1/payment_intents/:id/confirm`: charges the PaymentIntent's payment method (or the one given),
 * creating a charge whether the card accepts it or not. A decline answers 402 `card_error` with the
 * PaymentIntent, back in `requires_payment_method`; a PaymentIntent that already succeeded, or has no
 * payment method, answers 400 `payment_intent_unexpected_state`.
 */
export function confirmPaymentIntent(state: FakeStripeState, call: StripeCall): FakeStripePaymentIntent {
  const intent = retrievePaymentIntent(state, call);
  const given = optionalString(call.params, 'payment_method') ?? null;
  if (given !== null) checkPaymentMethod(given);
  if (intent.status === 'succeeded') {
    throw new StripeRequestError(
      'payment_intent_unexpected_state',
      'You cannot confirm this PaymentIntent because it has a status of succeeded. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method.',
      undefined,
      false,
    );
  }
  if (given !== null) intent.payment_method = given;
  return charge(state, intent, call.idempotencyKey);
}

function charge(
  state: FakeStripeState,
  intent: FakeStripePaymentIntent,
  idempotencyKey: string | undefined,
): FakeStripePaymentIntent {
  const paymentMethod = intent.payment_method;
  if (paymentMethod === null) {
    throw new StripeRequestError(
      'payment_intent_unexpected_state',
      "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent, pass a payment_method.",
      'payment_method',
      false,
    );
  }
  const behaviour = FAKE_STRIPE_PAYMENT_METHODS[paymentMethod]!;
  const declined = behaviour.outcome === 'succeeds' ? undefined : behaviour.outcome;
  const created = state.created(
    {
      id: stripeId('ch'),
      object: 'charge',
      created: state.nowSeconds,
      amount: intent.amount,
      currency: intent.currency,
      payment_intent: intent.id,
      payment_method: paymentMethod,
      status: declined === undefined ? 'succeeded' : 'failed',
      failure_code: declined?.code ?? null,
      amount_refunded: 0,
    },
    idempotencyKey,
  );
  intent.latest_charge = created.id;
  if (declined === undefined) {
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    intent.last_payment_error = null;
    return intent;
  }
  const message = STRIPE_ERRORS[declined.code]?.message ?? 'Your card was declined.';
  intent.status = 'requires_payment_method';
  intent.payment_method = null;
  intent.last_payment_error = {
    type: 'card_error',
    code: declined.code,
    decline_code: declined.declineCode,
    message,
  };
  throw new CardDeclinedError(declined.code, message, declined.declineCode, { ...intent });
}

function checkPaymentMethod(id: string): void {
  if (FAKE_STRIPE_PAYMENT_METHODS[id] === undefined)
    throw missingResource('PaymentMethod', id, 'payment_method');
}
