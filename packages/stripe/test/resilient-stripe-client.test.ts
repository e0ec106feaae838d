import { CancelledError, CircuitOpenError } from '@resilient/core';
import { memoryCircuitFleet } from '@resilient/core/testing';
import { type FakeStripe, startFakeStripe } from '@resilient/testing';
import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createResilientStripe } from '../src/index';
import { SDK_TIMEOUT_GRACE_MS } from '../src/stripe-call-runner';
import { quick, settle, stripeFor } from './support';

let fake: FakeStripe;
beforeAll(async () => {
  fake = await startFakeStripe();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('the typed resources', () => {
  it('pass the arguments through, with the request options in their place', async () => {
    const client = createResilientStripe(stripeFor(fake), quick());
    const customer = await client.customers.create({ email: 'ada@example.com', metadata: { plan: 'pro' } });
    const intent = await client.paymentIntents.create(
      { amount: 1_200, currency: 'usd', customer: customer.id },
      { idempotencyKey: 'pi-1' },
    );
    const confirmed = await client.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    const refund = await client.refunds.create({ payment_intent: intent.id, amount: 200 });
    const page = await client.customers.list({ limit: 1 });
    expect(confirmed.status).toBe('succeeded');
    expect(refund).toMatchObject({ amount: 200, payment_intent: intent.id });
    expect(page.data.map((entry) => entry.id)).toEqual([customer.id]);
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /v1/customers',
      'POST /v1/payment_intents',
      `POST /v1/payment_intents/${intent.id}/confirm`,
      'POST /v1/refunds',
      'GET /v1/customers',
    ]);
    expect(fake.requests[1]?.idempotencyKey).toBe('pi-1');
    expect(fake.requests[4]?.query).toEqual({ limit: '1' });
  });

  it('retrieve with only an id, padding the parameters the caller left out', async () => {
    const client = createResilientStripe(stripeFor(fake), quick());
    const intent = await client.paymentIntents.create({ amount: 100, currency: 'usd' });
    await expect(client.paymentIntents.retrieve(intent.id)).resolves.toMatchObject({ id: intent.id });
  });

  it('expose API methods only', () => {
    const client = createResilientStripe(stripeFor(fake), quick());
    expect(typeof client.customers.create).toBe('function');
    expect('create' in client.customers).toBe(true);
    expect((client.customers as unknown as Record<string, unknown>)._makeRequest).toBeUndefined();
    expect((client.customers as unknown as Record<string, unknown>).basePath).toBeUndefined();
    expect(client.customers).toBe(client.resource('customers'));
    expect(() => client.resource('webhooks' as never)).toThrow(/not a Stripe API resource/);
  });

  it('name each operation after the Stripe method, for hooks and traces', async () => {
    const operations: string[] = [];
    const client = createResilientStripe(
      stripeFor(fake),
      quick({
        plugins: [
          { name: 'names', onOperationStart: ({ operation }) => operations.push(operation.operation) },
        ],
      }),
    );
    await client.customers.create({});
    await client.customers.list();
    expect(operations).toEqual(['customers.create', 'customers.list']);
  });

  it('reach any other top-level resource with resource()', async () => {
    const client = createResilientStripe(stripeFor(fake), quick());
    const outcome = await settle(client.resource('invoices').create({ customer: 'cus_1' }));
    expect(outcome.error).toMatchObject({ kind: 'not-found', status: 404, attempts: 1 });
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/v1/invoices' });
    expect(fake.requests[0]?.idempotencyKey).toMatch(/^resilient-/);
  });
});

describe('call()', () => {
  it("hands the attempt's request options to the function: no SDK retries, the key, the attempt's time", async () => {
    const seen: Stripe.RequestOptions[] = [];
    const client = createResilientStripe(stripeFor(fake), quick({ attemptTimeoutMs: 800 }));
    fake.faults.enqueue({ type: 'status', status: 503 });
    const customer = await client.call('customers.create', (stripe, requestOptions) => {
      seen.push(requestOptions);
      return stripe.customers.create({ name: 'Ada' }, requestOptions);
    });
    expect(customer.name).toBe('Ada');
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual({
      maxNetworkRetries: 0,
      idempotencyKey: expect.stringMatching(/^resilient-/),
      timeout: 800 + SDK_TIMEOUT_GRACE_MS,
    });
    expect(seen[1]?.idempotencyKey).toBe(seen[0]?.idempotencyKey);
  });

  it('reads the method from the operation name: no key for a list, the given method otherwise', async () => {
    const seen: Stripe.RequestOptions[] = [];
    const client = createResilientStripe(stripeFor(fake), quick());
    await client.call('customers.list', (stripe, requestOptions) => {
      seen.push(requestOptions);
      return stripe.customers.list({ limit: 3 }, requestOptions);
    });
    await client.call(
      'customers.lookup',
      (stripe, requestOptions) => {
        seen.push(requestOptions);
        return stripe.rawRequest('GET', '/v1/customers', undefined, requestOptions);
      },
      { method: 'GET' },
    );
    expect(seen.map((options) => options.idempotencyKey)).toEqual([undefined, undefined]);
  });

  it("runs nested resources and raw requests, with the caller's key", async () => {
    const client = createResilientStripe(stripeFor(fake), quick());
    fake.faults.enqueue({ type: 'applied-response-lost' });
    const created = await client.call(
      'raw.customers.create',
      (stripe, requestOptions) => stripe.rawRequest('POST', '/v1/customers', { name: 'Raw' }, requestOptions),
      { idempotencyKey: 'raw-1' },
    );
    expect(fake.requests.map((request) => request.idempotencyKey)).toEqual(['raw-1', 'raw-1']);
    expect(fake.customers.map((customer) => customer.id)).toEqual([created.id]);
  });

  it('refuses a call without a name or a function, and a method it does not know', async () => {
    const client = createResilientStripe(stripeFor(fake), quick());
    await expect(client.call('', () => 1)).rejects.toThrow(TypeError);
    await expect(client.call('customers.create', () => 1, { method: 'PUT' as never })).rejects.toThrow(/GET/);
  });
});

describe('cancellation and timeouts', () => {
  it('ends the operation at once when the caller aborts during a hung request', async () => {
    const client = createResilientStripe(stripeFor(fake), quick());
    const controller = new AbortController();
    fake.faults.enqueue({ type: 'hang' });
    const pending = settle(client.customers.create({}, { signal: controller.signal }));
    while (fake.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error('user left'));
    const outcome = await pending;
    expect(CancelledError.isInstance(outcome.error)).toBe(true);
    expect(outcome.error).toMatchObject({ kind: 'cancelled', outcome: 'unknown' });
  });

  it('sends nothing when the signal had already aborted', async () => {
    const client = createResilientStripe(stripeFor(fake), quick());
    const outcome = await settle(client.customers.list(undefined, { signal: AbortSignal.abort() }));
    expect(outcome.error).toMatchObject({ kind: 'cancelled', outcome: 'not-sent' });
    expect(fake.requests).toHaveLength(0);
  });

  it("never gives a request more time than the stripe-node client's own timeout", async () => {
    const seen: Stripe.RequestOptions[] = [];
    const client = createResilientStripe(
      stripeFor(fake, { config: { timeout: 600 } }),
      quick({ attemptTimeoutMs: 900 }),
    );
    await client.call('customers.list', (stripe, requestOptions) => {
      seen.push(requestOptions);
      return stripe.customers.list(undefined, requestOptions);
    });
    expect(seen[0]?.timeout).toBe(600);
  });

  it("keeps a caller's timeout shorter than the attempt's: stripe-node gives up first", async () => {
    const client = createResilientStripe(stripeFor(fake), quick({ retry: false, attemptTimeoutMs: 2_000 }));
    fake.faults.enqueue({ type: 'hang' });
    const outcome = await settle(client.customers.create({}, { timeout: 100 }));
    expect(outcome.error).toMatchObject({ kind: 'network', outcome: 'unknown' });
    expect((outcome.error as Error).message).toContain('timeout');
  });
});

describe('breakers', () => {
  const breakerOptions = quick({
    retry: false,
    circuitBreaker: { strategy: { type: 'consecutive', threshold: 1 } },
  });

  it('share one breaker across resources by default', async () => {
    const client = createResilientStripe(stripeFor(fake), breakerOptions);
    fake.faults.enqueue({ type: 'status', status: 500 });
    await settle(client.customers.create({}));
    const outcome = await settle(client.paymentIntents.create({ amount: 100, currency: 'usd' }));
    expect(CircuitOpenError.isInstance(outcome.error)).toBe(true);
    expect(client.pipelineFor('paymentIntents')).toBe(client.pipelineFor('customers'));
  });

  it('keep one breaker per resource when asked', async () => {
    const client = createResilientStripe(stripeFor(fake), { ...breakerOptions, breakerScope: 'resource' });
    fake.faults.enqueue({ type: 'status', status: 500 });
    await settle(client.customers.create({}));
    const customers = await settle(client.customers.create({}));
    const intents = await settle(client.paymentIntents.create({ amount: 100, currency: 'usd' }));
    expect(CircuitOpenError.isInstance(customers.error)).toBe(true);
    expect(intents.value).toMatchObject({ object: 'payment_intent' });
    expect(client.pipelineFor('customers').breaker?.state).toBe('open');
    expect(client.pipelineFor('paymentIntents').breaker?.state).toBe('closed');
    expect(() => client.pipelineFor()).toThrow(/give the resource/);
    expect(fake.requests).toHaveLength(2);
  });

  it('share their state with the other processes of a fleet (the fleet option)', async () => {
    // Two "processes", each with its own client; memoryCircuitFleet shares breakers as redisFleet would.
    const fleet = memoryCircuitFleet();
    const options = quick({
      retry: false,
      circuitBreaker: { strategy: { type: 'consecutive', threshold: 1 }, fleet },
    });
    const first = createResilientStripe(stripeFor(fake), options);
    const second = createResilientStripe(stripeFor(fake), options);
    fake.faults.enqueue({ type: 'status', status: 500 });
    await settle(first.customers.create({}));
    await new Promise((resolve) => setImmediate(resolve)); // the fleet's news arrives on a microtask
    expect(second.pipelineFor().breaker?.state).toBe('open');
    const outcome = await settle(second.customers.create({}));
    expect(CircuitOpenError.isInstance(outcome.error)).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });
});
