/** The HTTP methods of Stripe's v1 API. */
export type StripeHttpMethod = 'GET' | 'POST' | 'DELETE';

const READ = /^(?:retrieve|list|search)/;
const DELETE = /^(?:del$|delete)/;

/**
 * The HTTP method a stripe-node method sends, from its name, as Stripe's API names them: `retrieve*`,
 * `list*` and `search*` are GETs, `del` and `delete*` DELETEs, everything else (`create`, `update`,
 * `confirm`, `capture`, `cancel`, `pay`...) a POST. Give `method` to `call()` when a name says otherwise.
 */
export function stripeHttpMethodOf(methodName: string): StripeHttpMethod {
  if (READ.test(methodName)) return 'GET';
  if (DELETE.test(methodName)) return 'DELETE';
  return 'POST';
}

/** Whether `value` is one of the {@link StripeHttpMethod}s. */
export function isStripeHttpMethod(value: unknown): value is StripeHttpMethod {
  return value === 'GET' || value === 'POST' || value === 'DELETE';
}
