import type { RandomSource } from '@resilient/core';
import { createResilientStripe } from '@resilient/stripe';
import Stripe from 'stripe';
import type { CustomerService } from './customers';
import { demoPipeline } from './pipelines';

/** Where the Stripe client goes: the real API, or a local fake. */
export interface StripeTarget {
  readonly apiKey: string;
  /** A fake on 127.0.0.1: its port. */
  readonly fakePort?: number;
}

/**
 * Customers in Stripe through `@resilient/stripe`: one retry layer (stripe-node's own is off), one
 * breaker for the account, every Stripe error mapped onto core's kinds, and the signup's idempotency
 * key on every attempt. stripe-node's fetch HTTP client, as `@resilient/stripe` recommends: its node
 * client would retry a reset connection once more by itself, out of the pipeline's sight.
 */
export function createStripeCustomers(target: StripeTarget, random: RandomSource): CustomerService {
  const stripe = new Stripe(target.apiKey, {
    httpClient: Stripe.createFetchHttpClient(),
    ...(target.fakePort === undefined ? {} : { host: '127.0.0.1', port: target.fakePort, protocol: 'http' }),
  });
  const { totalTimeoutMs, attemptTimeoutMs, retry, circuitBreaker } = demoPipeline(random);
  const client = createResilientStripe(stripe, {
    totalTimeoutMs,
    attemptTimeoutMs,
    retry,
    circuitBreaker,
    random,
  });
  return {
    provider: 'stripe',
    async create(customer, idempotencyKey) {
      const created = await client.customers.create(
        { email: customer.email, name: customer.name, metadata: { signup_id: customer.signupId } },
        { idempotencyKey },
      );
      return { id: created.id };
    },
    health() {
      const breaker = client.pipelineFor('customers').breaker;
      return {
        breaker: breaker === undefined ? 'none' : breaker.state,
        retryAfterMs: breaker === undefined ? 0 : breaker.retryAfterMs,
      };
    },
  };
}
