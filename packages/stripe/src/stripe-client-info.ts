/** What the resilient client needs to know about the stripe-node client it wraps. */
export interface StripeClientInfo {
  /** stripe-node's version, such as `23.1.0`. */
  readonly version: string;
  /** The HTTP client's name: `node` (the default on Node.js), `fetch`, or a custom client's. */
  readonly httpClient: string | undefined;
  /** The client's per-request `timeout` in ms (stripe-node's default is 80,000). */
  readonly timeoutMs: number | undefined;
  /** `StripeResource.prototype`, whose methods (`initialize`, `_makeRequest`) are not API methods. */
  readonly resourcePrototype: object | undefined;
}

/** The oldest stripe-node whose API methods all take their request options last, as the wrapper needs. */
export const MIN_STRIPE_MAJOR = 22;

/**
 * Checks that `stripe` is a stripe-node client of version 22 or later (a `TypeError` or `RangeError`
 * says what it got otherwise), and reads its HTTP client's name and its timeout through its public
 * `getApiField`, and the public static `Stripe.StripeResource`. Reads nothing else: the API key stays
 * where it is.
 */
export function inspectStripeClient(stripe: unknown): StripeClientInfo {
  if (typeof stripe !== 'object' || stripe === null || typeof Reflect.get(stripe, 'customers') !== 'object') {
    throw new TypeError(
      'createResilientStripe: stripe must be a stripe-node client, such as new Stripe(secretKey)',
    );
  }
  const version = Reflect.get(stripe, 'VERSION');
  const major = typeof version === 'string' ? Number.parseInt(version, 10) : Number.NaN;
  if (!(major >= MIN_STRIPE_MAJOR)) {
    throw new RangeError(
      `createResilientStripe: stripe-node ${MIN_STRIPE_MAJOR} or later is required (request options as the last argument); got ${typeof version === 'string' ? version : 'an unknown version'}`,
    );
  }
  const getApiField = Reflect.get(stripe, 'getApiField');
  const field = (name: string): unknown =>
    typeof getApiField === 'function'
      ? (getApiField as (name: string) => unknown).call(stripe, name)
      : undefined;
  const httpClient = field('httpClient');
  const getClientName =
    typeof httpClient === 'object' && httpClient !== null
      ? Reflect.get(httpClient, 'getClientName')
      : undefined;
  const name =
    typeof getClientName === 'function' ? (getClientName as () => unknown).call(httpClient) : undefined;
  const timeout = field('timeout');
  const stripeClass = Reflect.get(stripe, 'constructor');
  const base = typeof stripeClass === 'function' ? Reflect.get(stripeClass, 'StripeResource') : undefined;
  const resourcePrototype = typeof base === 'function' ? Reflect.get(base, 'prototype') : undefined;
  return {
    resourcePrototype:
      typeof resourcePrototype === 'object' && resourcePrototype !== null ? resourcePrototype : undefined,
    version,
    httpClient: typeof name === 'string' ? name : undefined,
    timeoutMs: typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0 ? timeout : undefined,
  };
}
