import type { StripeCall, StripeList } from './stripe-call';
import { type FakeStripeCustomer, type FakeStripeState, stripeId } from './stripe-objects';
import {
  invalidParam,
  metadataParam,
  missingResource,
  optionalInteger,
  optionalString,
} from './stripe-params';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `POST /v1/customers`: every parameter is optional; `email`, when given, must look like one. */
export function createCustomer(state: FakeStripeState, call: StripeCall): FakeStripeCustomer {
  const email = optionalString(call.params, 'email') ?? null;
  if (email !== null && !EMAIL.test(email))
    throw invalidParam('email_invalid', `Invalid email address: ${email}`, 'email');
  return state.created(
    {
      id: stripeId('cus', 14),
      object: 'customer',
      created: state.nowSeconds,
      livemode: false,
      email,
      name: optionalString(call.params, 'name') ?? null,
      description: optionalString(call.params, 'description') ?? null,
      phone: optionalString(call.params, 'phone') ?? null,
      metadata: metadataParam(call.params),
    },
    call.idempotencyKey,
  );
}

/** `GET /v1/customers/:id`. */
export function retrieveCustomer(state: FakeStripeState, call: StripeCall): FakeStripeCustomer {
  const id = call.id ?? '';
  const customer = state.customer(id);
  if (customer === undefined) throw missingResource('customer', id, 'id');
  return customer;
}

/**
 * `GET /v1/customers`: newest first, `limit` from 1 to 100 (default 10), `starting_after` an id from
 * the previous page, `email` an exact (case-sensitive) match.
 */
export function listCustomers(state: FakeStripeState, call: StripeCall): StripeList<FakeStripeCustomer> {
  const limit = optionalInteger(call.params, 'limit', { min: 1, max: 100 }) ?? 10;
  const email = optionalString(call.params, 'email') ?? undefined;
  const startingAfter = optionalString(call.params, 'starting_after') ?? undefined;
  let candidates = [...state.customers].reverse();
  if (email !== undefined) candidates = candidates.filter((customer) => customer.email === email);
  if (startingAfter !== undefined) {
    const index = candidates.findIndex((customer) => customer.id === startingAfter);
    if (index < 0) throw missingResource('customer', startingAfter, 'starting_after');
    candidates = candidates.slice(index + 1);
  }
  return {
    object: 'list',
    url: '/v1/customers',
    has_more: candidates.length > limit,
    data: candidates.slice(0, limit),
  };
}
