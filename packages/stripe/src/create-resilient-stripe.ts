import type { ResilientPipeline } from '@resilient/core';
import type Stripe from 'stripe';
import type { ResilientCallOptions, ResilientResource, StripeResourceName } from './resilient-resource';
import { type ResilientStripeOptions, resolveStripeOptions } from './resilient-stripe-options';
import { StripeCallRunner } from './stripe-call-runner';
import { inspectStripeClient } from './stripe-client-info';
import { isStripeHttpMethod, type StripeHttpMethod, stripeHttpMethodOf } from './stripe-http-method';
import { wrapStripeResource } from './wrap-stripe-resource';

/** Options of one {@link ResilientStripe.call}. */
export interface StripeCallOptions extends ResilientCallOptions {
  /** The idempotency key of a POST. Default: one generated for this call, the same on every attempt. */
  readonly idempotencyKey?: string;
  /**
   * The HTTP method the call sends. Default: read from the operation's last part (`retrieve*`, `list*`,
   * `search*` are GETs, `del`/`delete*` DELETEs, anything else a POST, which gets an idempotency key).
   */
  readonly method?: StripeHttpMethod;
}

/**
 * A Stripe client whose calls run through a `resilient()` pipeline, with stripe-node's own types.
 * Built by {@link createResilientStripe}.
 */
export interface ResilientStripe<S extends Stripe = Stripe> {
  /** The stripe-node client it wraps, for what needs no resilience (webhook signatures, say). */
  readonly stripe: S;
  readonly customers: ResilientResource<S['customers']>;
  readonly paymentIntents: ResilientResource<S['paymentIntents']>;
  readonly refunds: ResilientResource<S['refunds']>;
  readonly subscriptions: ResilientResource<S['subscriptions']>;
  /** Any other top-level resource, typed: `client.resource('invoices').create(params)`. */
  resource<K extends StripeResourceName<S>>(name: K): ResilientResource<S[K]>;
  /**
   * Runs any stripe-node call through the pipeline, nested resources and `rawRequest` included: `fn`
   * gets the stripe-node client and the request options of the attempt, which it must pass on.
   *
   * @example
   * const session = await client.call('checkout.sessions.create', (stripe, requestOptions) =>
   *   stripe.checkout.sessions.create(params, requestOptions),
   * );
   */
  call<R>(
    operation: string,
    fn: (stripe: S, requestOptions: Stripe.RequestOptions) => R | PromiseLike<R>,
    options?: StripeCallOptions,
  ): Promise<Awaited<R>>;
  /**
   * The pipeline that calls run through, for health checks (`pipelineFor().breaker?.state`). In `client`
   * scope there is one and `resource` is ignored; in `resource` scope, give the resource, such as
   * `customers` or `checkout.sessions`.
   */
  pipelineFor(resource?: string): ResilientPipeline;
  /**
   * The name of stripe-node's HTTP client: `fetch` (recommended) or `node`, which retries a reset
   * connection once by itself, under the same idempotency key, even with retries off.
   */
  readonly httpClient: string | undefined;
}

/**
 * Wraps a stripe-node client (22 or later) so that every call runs through one standard `resilient()`
 * pipeline: total and attempt timeouts, one retry layer, a circuit breaker (per client, or per resource),
 * and Stripe's errors mapped onto the resilient taxonomy. stripe-node's own retries are turned off on
 * every request (`maxNetworkRetries: 0`), so one call never becomes 3 × 3 requests; every POST carries
 * one idempotency key per logical operation (the caller's, or a generated one), sent on every attempt.
 * With the `apiKey` option, every request sends that key (read from its source), and a key Stripe
 * refuses is read again once and, when rotated, the request resent under the same idempotency key.
 *
 * @example
 * const stripe = new Stripe(secretKey, { httpClient: Stripe.createFetchHttpClient() });
 * const client = createResilientStripe(stripe);
 * const customer = await client.customers.create({ email }, { idempotencyKey: `signup-${userId}` });
 */
export function createResilientStripe<S extends Stripe>(
  stripe: S,
  options?: ResilientStripeOptions,
): ResilientStripe<S> {
  const info = inspectStripeClient(stripe);
  const resolved = resolveStripeOptions(options);
  const runner = new StripeCallRunner(resolved, info.timeoutMs);
  const resources = new Map<string, object>();
  const resource = (name: string): object => {
    let wrapped = resources.get(name);
    if (wrapped === undefined) {
      const target: unknown = (stripe as unknown as Record<string, unknown>)[name];
      if (!isStripeResource(target, info.resourcePrototype) || name.startsWith('_'))
        throw new TypeError(`resource: stripe.${name} is not a Stripe API resource`);
      wrapped = wrapStripeResource(runner, name, target, info.resourcePrototype);
      resources.set(name, wrapped);
    }
    return wrapped;
  };
  const client = {
    stripe,
    httpClient: info.httpClient,
    get customers() {
      return resource('customers');
    },
    get paymentIntents() {
      return resource('paymentIntents');
    },
    get refunds() {
      return resource('refunds');
    },
    get subscriptions() {
      return resource('subscriptions');
    },
    resource,
    call<R>(
      operation: string,
      fn: (stripe: S, requestOptions: Stripe.RequestOptions) => R | PromiseLike<R>,
      callOptions: StripeCallOptions = {},
    ): Promise<Awaited<R>> {
      if (typeof operation !== 'string' || operation.trim() === '' || typeof fn !== 'function')
        return Promise.reject(
          new TypeError('call: give an operation name, such as "invoices.create", and a function'),
        );
      const method =
        callOptions.method ?? stripeHttpMethodOf(operation.slice(operation.lastIndexOf('.') + 1));
      if (!isStripeHttpMethod(method))
        return Promise.reject(
          new TypeError(`call: method must be "GET", "POST" or "DELETE"; got ${String(method)}`),
        );
      const dot = operation.lastIndexOf('.');
      return runner.run(
        {
          operation,
          resource: dot < 0 ? operation : operation.slice(0, dot),
          method,
          idempotencyKey: callOptions.idempotencyKey,
          signal: callOptions.signal,
        },
        (requestOptions) => fn(stripe, requestOptions),
      );
    },
    pipelineFor(name?: string): ResilientPipeline {
      return runner.pipelineFor(name);
    },
  };
  return client as unknown as ResilientStripe<S>;
}

/** Whether `value` is a stripe-node API resource: an instance of `StripeResource`, when that is known. */
function isStripeResource(value: unknown, resourcePrototype: object | undefined): value is object {
  if (typeof value !== 'object' || value === null) return false;
  return resourcePrototype === undefined || Object.prototype.isPrototypeOf.call(resourcePrototype, value);
}
