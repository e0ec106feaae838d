import type Stripe from 'stripe';

/** What the resilient client takes per call on top of stripe-node's `RequestOptions`. */
export interface ResilientCallOptions {
  /**
   * Ends the operation at once with a `CancelledError`, during an attempt or a backoff wait.
   * (stripe-node takes no signal: a request already sent runs on until its `timeout`, which the client
   * sets to what is left of the attempt.)
   */
  readonly signal?: AbortSignal;
}

/** stripe-node's `RequestOptions` with the resilient client's own. */
export type ResilientRequestOptions = Stripe.RequestOptions & ResilientCallOptions;

/** `true` for stripe-node's `RequestOptions` (give or take `undefined`), `false` for anything else. */
type IsRequestOptions<T> = [Exclude<T, undefined>] extends [Stripe.RequestOptions]
  ? [Stripe.RequestOptions] extends [Exclude<T, undefined>]
    ? true
    : false
  : false;

/** A method's parameters with its `RequestOptions` widened to {@link ResilientRequestOptions}. */
export type WithResilientOptions<A extends readonly unknown[]> = {
  [K in keyof A]: IsRequestOptions<A[K]> extends true ? ResilientRequestOptions : A[K];
};

/**
 * A stripe-node method run through the resilient client: the same parameters (its request options
 * also take a `signal`), resolving to what the method resolves to. A list resolves to its page
 * (`ApiList`), without the auto-pagination helpers: each page is a call of its own.
 */
export type ResilientMethod<F> = F extends (...args: infer A) => infer R
  ? (...args: WithResilientOptions<A>) => Promise<Awaited<R>>
  : never;

/** The names of a resource's API methods: its public methods that return a promise. */
export type StripeMethodName<T> = {
  [K in keyof T]-?: K extends `_${string}`
    ? never
    : T[K] extends (...args: never[]) => PromiseLike<unknown>
      ? K
      : never;
}[keyof T];

/** A stripe-node resource (`stripe.customers`, `stripe.invoices`...) with every API method resilient. */
export type ResilientResource<T> = { readonly [K in StripeMethodName<T>]: ResilientMethod<T[K]> };

/** An instance of stripe-node's `StripeResource`, the class every API resource extends. */
type StripeResourceInstance = InstanceType<(typeof Stripe)['StripeResource']>;

/** The names of a Stripe client's top-level API resources: `customers`, `invoices`, `paymentIntents`... */
export type StripeResourceName<S> = {
  [K in keyof S]-?: K extends `_${string}` ? never : S[K] extends StripeResourceInstance ? K : never;
}[keyof S] &
  string;
