import type { FakeResponse } from '../core/fake-server';
import { STRIPE_ERRORS, stripeErrorResponse } from './stripe-errors';
import { StripeRequestError } from './stripe-params';
import { CardDeclinedError } from './stripe-payment-intents';

/** What an endpoint answered, and whether its parameters failed validation. */
export interface StripeAnswer {
  readonly response: FakeResponse;
  /** True when the request was refused before it began executing: nothing is saved under its key. */
  readonly validation: boolean;
}

/**
 * Runs an endpoint and turns the `StripeRequestError` it throws into Stripe's error answer: the code's
 * status and type (404 `resource_missing`, 400 `invalid_request_error`, ...), and for a declined card a
 * 402 `card_error` with `decline_code` and the PaymentIntent. Other errors are the fake's own bugs and
 * are rethrown (the server answers them with a 500 that names the fake).
 */
export function answerStripeCall(run: () => FakeResponse): StripeAnswer {
  try {
    return { response: run(), validation: false };
  } catch (error) {
    if (error instanceof CardDeclinedError) {
      const response = stripeErrorResponse(402, {
        type: 'card_error',
        code: error.code,
        message: error.message,
        ...(error.declineCode === undefined ? {} : { decline_code: error.declineCode }),
        payment_intent: error.paymentIntent,
      });
      return { response, validation: false };
    }
    if (!(error instanceof StripeRequestError)) throw error;
    const info = STRIPE_ERRORS[error.code];
    const response = stripeErrorResponse(info?.status ?? 400, {
      type: info?.type ?? 'invalid_request_error',
      code: error.code,
      message: error.message,
      ...(error.param === undefined ? {} : { param: error.param }),
    });
    return { response, validation: error.validation };
  }
}
