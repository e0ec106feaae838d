export {
  createResilientStripe,
  type ResilientStripe,
  type StripeCallOptions,
} from './create-resilient-stripe';
export { type MapStripeErrorOptions, mapStripeError } from './map-stripe-error';
export type {
  ResilientCallOptions,
  ResilientMethod,
  ResilientRequestOptions,
  ResilientResource,
  StripeMethodName,
  StripeResourceName,
  WithResilientOptions,
} from './resilient-resource';
export {
  type BreakerScope,
  defaultIdempotencyKey,
  type ResilientStripeOptions,
} from './resilient-stripe-options';
export { type AttemptRequestOptions, SDK_TIMEOUT_GRACE_MS } from './stripe-call-runner';
export { MIN_STRIPE_MAJOR } from './stripe-client-info';
export { type StripeHttpMethod, stripeHttpMethodOf } from './stripe-http-method';
