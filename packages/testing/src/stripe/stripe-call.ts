import type { StripeParams } from './stripe-form';

/** What a route handler of the fake Stripe gets. */
export interface StripeCall {
  /** The parameters: the form body of a POST, the query of a GET. */
  readonly params: StripeParams;
  /** The id in the path (`/v1/customers/:id`), when the route has one. */
  readonly id: string | undefined;
  /** The request's `Idempotency-Key`, recorded with what it creates. */
  readonly idempotencyKey: string | undefined;
}

/** A page of a list, as Stripe answers it. */
export interface StripeList<T> {
  readonly object: 'list';
  readonly url: string;
  readonly has_more: boolean;
  readonly data: readonly T[];
}
