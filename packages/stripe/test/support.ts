import { constantBackoff } from '@resilient/core';
import type { FakeStripe } from '@resilient/testing';
import Stripe from 'stripe';
import type { ResilientStripeOptions } from '../src/index';

/** The secret key every test uses, in Stripe's format: a canary that must never show up in an error. */
export const SECRET_KEY = 'sk_test_51CanaryResilient5b1f0c2e9d7aXyZ';

/** A stripe-node client pointed at a fake, with the HTTP client asked for and stripe-node's defaults otherwise. */
export function stripeFor(
  fake: Pick<FakeStripe, 'port'>,
  options: { httpClient?: 'fetch' | 'node'; key?: string; config?: Stripe.StripeConfig } = {},
): Stripe {
  return new Stripe(options.key ?? SECRET_KEY, {
    host: '127.0.0.1',
    port: fake.port,
    protocol: 'http',
    telemetry: false,
    httpClient:
      options.httpClient === 'node' ? Stripe.createNodeHttpClient() : Stripe.createFetchHttpClient(),
    ...options.config,
  });
}

/** Pipeline options for tests: short timeouts, retries without waiting, no breaker, no retry budget. */
export function quick(overrides: ResilientStripeOptions = {}): ResilientStripeOptions {
  return {
    attemptTimeoutMs: 2_000,
    totalTimeoutMs: 10_000,
    retry: { maxAttempts: 3, backoff: constantBackoff(0), budget: false },
    circuitBreaker: false,
    ...overrides,
  };
}

/** Settles a promise into `{ value }` or `{ error }`. */
export function settle<T>(
  promise: Promise<T>,
): Promise<{ value: T; error?: undefined } | { value?: undefined; error: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

/** The requests the fake received, grouped by idempotency key (`undefined` for requests without one). */
export function requestsPerKey(fake: FakeStripe): Map<string | undefined, number> {
  const counts = new Map<string | undefined, number>();
  for (const request of fake.requests)
    counts.set(request.idempotencyKey, (counts.get(request.idempotencyKey) ?? 0) + 1);
  return counts;
}
