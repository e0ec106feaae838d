// Fake provider servers

// Fake Clerk
export { CLERK_ERRORS, type ClerkErrorInfo } from './clerk/clerk-errors';
export { ClerkSigningKeys, type FakeClerkJwk } from './clerk/clerk-signing-keys';
export type { FakeClerkUser } from './clerk/clerk-users';
export { type FakeClerk, type FakeClerkOptions, startFakeClerk } from './clerk/fake-clerk';
// The shared core, for building more fakes
export type { FakeProviderOptions, FakeProviderServer } from './core/fake-provider-server';
export {
  type FakeHandler,
  type FakeReply,
  type FakeRequest,
  type FakeResponse,
  type FakeServer,
  startFakeServer,
} from './core/fake-server';
// Faults
export type {
  AppliedResponseLostFault,
  Fault,
  HangFault,
  LatencyFault,
  MalformedBodyFault,
  ResetFault,
  StatusFault,
} from './core/fault';
export { MALFORMED_BODY } from './core/fault';
export { type AppliedFault, FaultController, type RandomFaultOptions } from './core/fault-controller';
export { type RateLimitDecision, type RateLimitOptions, RateLimitWindow } from './core/rate-limit-window';
export type { RecordedRequest } from './core/recorded-request';
export { type RandomNumber, seededRandom } from './core/seeded-random';
export { jsonResponse, type ServeWithFaultOptions, serveWithFault } from './core/serve-with-fault';
// A real redis-server, for code that shares state through Redis
export {
  type RedisServer,
  type RedisServerOptions,
  redisServerAvailable,
  redisServerBinary,
  startRedisServer,
} from './redis/redis-server';
export {
  type FakeResend,
  type FakeResendOptions,
  type ResendDelivery,
  startFakeResend,
} from './resend/fake-resend';
export { RESEND_ERRORS } from './resend/resend-errors';
// Secrets
export { findSecret, type SecretView } from './secrets/find-secret';
export {
  type FakeSendGrid,
  type FakeSendGridOptions,
  type SendGridDelivery,
  startFakeSendGrid,
} from './sendgrid/fake-sendgrid';
export { SENDGRID_ERROR_MESSAGES } from './sendgrid/sendgrid-errors';
// Fake Stripe
export {
  type FakeStripe,
  type FakeStripeOptions,
  type FakeStripeRequest,
  startFakeStripe,
} from './stripe/fake-stripe';
export { STRIPE_ERRORS, type StripeErrorBody, type StripeErrorInfo } from './stripe/stripe-errors';
export { parseStripeForm, type StripeParams, type StripeParamValue } from './stripe/stripe-form';
export { STRIPE_IDEMPOTENCY_WINDOW_MS } from './stripe/stripe-idempotency';
export type {
  FakePaymentIntentStatus,
  FakeStripeCharge,
  FakeStripeCustomer,
  FakeStripePaymentError,
  FakeStripePaymentIntent,
  FakeStripeRefund,
  FakeStripeWrite,
} from './stripe/stripe-objects';
export {
  FAKE_STRIPE_PAYMENT_METHODS,
  type FakePaymentMethodBehaviour,
} from './stripe/stripe-test-payment-methods';
