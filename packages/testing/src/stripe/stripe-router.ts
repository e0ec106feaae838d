import type { StripeCall } from './stripe-call';
import { createCustomer, listCustomers, retrieveCustomer } from './stripe-customers';
import type { FakeStripeState } from './stripe-objects';
import { confirmPaymentIntent, createPaymentIntent, retrievePaymentIntent } from './stripe-payment-intents';
import { createRefund } from './stripe-refunds';

/** Handles one call to a route; throws a `StripeRequestError` to refuse it. */
type StripeHandler = (state: FakeStripeState, call: StripeCall) => unknown;

interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  readonly handle: StripeHandler;
}

const ID = '([A-Za-z0-9_]+)';

const ROUTES: readonly Route[] = [
  { method: 'POST', pattern: /^\/v1\/customers$/, handle: createCustomer },
  { method: 'GET', pattern: /^\/v1\/customers$/, handle: listCustomers },
  { method: 'GET', pattern: new RegExp(`^/v1/customers/${ID}$`), handle: retrieveCustomer },
  { method: 'POST', pattern: /^\/v1\/payment_intents$/, handle: createPaymentIntent },
  { method: 'GET', pattern: new RegExp(`^/v1/payment_intents/${ID}$`), handle: retrievePaymentIntent },
  {
    method: 'POST',
    pattern: new RegExp(`^/v1/payment_intents/${ID}/confirm$`),
    handle: confirmPaymentIntent,
  },
  { method: 'POST', pattern: /^\/v1\/refunds$/, handle: createRefund },
];

/** A route that matched: its handler and the id in its path. */
export interface RouteMatch {
  readonly handle: StripeHandler;
  readonly id: string | undefined;
}

/** The route for a method and path, or `undefined` (Stripe answers 404 "Unrecognized request URL"). */
export function findStripeRoute(method: string, path: string): RouteMatch | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (match !== null) return { handle: route.handle, id: match[1] };
  }
  return undefined;
}
