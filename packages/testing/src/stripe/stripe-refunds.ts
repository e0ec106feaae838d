import type { StripeCall } from './stripe-call';
import type { FakeStripeCharge, FakeStripeRefund, FakeStripeState } from './stripe-objects';
import { stripeId } from './stripe-objects';
import {
  invalidParam,
  metadataParam,
  missingResource,
  optionalInteger,
  optionalString,
  StripeRequestError,
} from './stripe-params';

const REASONS = new Set(['duplicate', 'fraudulent', 'requested_by_customer']);

/**
 * `POST /v1/refunds`: refunds a succeeded `payment_intent` (or a `charge`), all of what is left by
 * default or `amount` of it. More than is left answers 400 `amount_too_large`; nothing left,
 * `charge_already_refunded`; a PaymentIntent without a successful charge,
 * `payment_intent_unexpected_state`.
 */
export function createRefund(state: FakeStripeState, call: StripeCall): FakeStripeRefund {
  const { params } = call;
  const paymentIntentId = optionalString(params, 'payment_intent') ?? undefined;
  const chargeId = optionalString(params, 'charge') ?? undefined;
  if (paymentIntentId === undefined && chargeId === undefined) {
    throw invalidParam(
      'parameter_missing',
      'One of the following params should be provided for this request: payment_intent or charge.',
      'payment_intent',
    );
  }
  const amount = optionalInteger(params, 'amount', { min: 1 });
  const reason = optionalString(params, 'reason') ?? null;
  if (reason !== null && !REASONS.has(reason))
    throw invalidParam('parameter_invalid_string', `Invalid reason: ${reason}`, 'reason');
  const metadata = metadataParam(params);
  const charge = refundableCharge(state, paymentIntentId, chargeId);
  const left = charge.amount - charge.amount_refunded;
  if (left === 0) {
    throw new StripeRequestError(
      'charge_already_refunded',
      `Charge ${charge.id} has already been refunded.`,
      undefined,
      false,
    );
  }
  const refunded = amount ?? left;
  if (refunded > left) {
    throw new StripeRequestError(
      'amount_too_large',
      `Refund amount (${refunded}) is greater than unrefunded amount on charge (${left})`,
      'amount',
      false,
    );
  }
  charge.amount_refunded += refunded;
  return state.created<FakeStripeRefund>(
    {
      id: stripeId('re'),
      object: 'refund',
      created: state.nowSeconds,
      amount: refunded,
      currency: charge.currency,
      charge: charge.id,
      payment_intent: charge.payment_intent,
      status: 'succeeded',
      reason,
      metadata,
    },
    call.idempotencyKey,
  );
}

function refundableCharge(
  state: FakeStripeState,
  paymentIntentId: string | undefined,
  chargeId: string | undefined,
): FakeStripeCharge {
  if (chargeId !== undefined) {
    const charge = state.charge(chargeId);
    if (charge === undefined) throw missingResource('charge', chargeId, 'charge');
    if (charge.status !== 'succeeded') throw noSuccessfulCharge(`Charge ${charge.id} has not succeeded.`);
    return charge;
  }
  const id = paymentIntentId ?? '';
  const intent = state.paymentIntent(id);
  if (intent === undefined) throw missingResource('payment_intent', id, 'payment_intent');
  const charge = intent.latest_charge === null ? undefined : state.charge(intent.latest_charge);
  if (intent.status !== 'succeeded' || charge === undefined)
    throw noSuccessfulCharge('This PaymentIntent does not have a successful charge to refund.');
  return charge;
}

function noSuccessfulCharge(message: string): StripeRequestError {
  return new StripeRequestError('payment_intent_unexpected_state', message, undefined, false);
}
