import { constantBackoff } from '@resilient/core';
import { type FakeStripe, startFakeStripe } from '@resilient/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createResilientStripe } from '../src/index';
import { quick, requestsPerKey, settle, stripeFor } from './support';

let fake: FakeStripe;
beforeAll(async () => {
  fake = await startFakeStripe();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('one layer owns retries', () => {
  it('turns stripe-node retries off: three 500s make three requests, not nine', async () => {
    const stripe = stripeFor(fake); // stripe-node's default: maxNetworkRetries 2
    const client = createResilientStripe(stripe, quick());
    fake.faults.repeat({ type: 'status', status: 500 }, 9);
    const outcome = await settle(client.customers.create({ name: 'Ada' }));
    expect(outcome.error).toMatchObject({ kind: 'server', attempts: 3 });
    expect(fake.requests).toHaveLength(3);
    expect(new Set(fake.requests.map((request) => request.idempotencyKey)).size).toBe(1);
  });

  it('would make three requests for one SDK call left to its own retries (the control)', async () => {
    const stripe = stripeFor(fake);
    fake.faults.repeat({ type: 'status', status: 500 }, 3);
    await settle(stripe.customers.create({ name: 'Ada' }));
    expect(fake.requests).toHaveLength(3);
  });

  it('with the fetch HTTP client, a reset connection costs one request per attempt', async () => {
    const client = createResilientStripe(stripeFor(fake, { httpClient: 'fetch' }), quick());
    expect(client.httpClient).toBe('fetch');
    fake.faults.repeat({ type: 'reset' }, 3);
    const outcome = await settle(client.customers.create({ name: 'Ada' }));
    expect(outcome.error).toMatchObject({ kind: 'network', outcome: 'unknown', attempts: 3 });
    expect(fake.requests).toHaveLength(3);
  });

  it("with the Node HTTP client, stripe-node retries a reset once by itself, under the operation's key", async () => {
    const client = createResilientStripe(stripeFor(fake, { httpClient: 'node' }), quick({ retry: false }));
    expect(client.httpClient).toBe('node');
    fake.faults.repeat({ type: 'reset' }, 2);
    const outcome = await settle(client.customers.create({ name: 'Ada' }));
    expect(outcome.error).toMatchObject({ kind: 'network', attempts: 1 });
    expect(fake.requests).toHaveLength(2);
    const keys = fake.requests.map((request) => request.idempotencyKey);
    expect(keys[0]).toMatch(/^resilient-/);
    expect(keys[1]).toBe(keys[0]);
  });
});

describe('idempotency keys', () => {
  it('retries a create whose answer was lost under the same key, creating one customer', async () => {
    const client = createResilientStripe(stripeFor(fake), quick());
    fake.faults.enqueue({ type: 'applied-response-lost' });
    const customer = await client.customers.create({ email: 'ada@example.com' });
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]?.idempotencyKey).toBe(fake.requests[1]?.idempotencyKey);
    expect(fake.customers.map((entry) => entry.id)).toEqual([customer.id]);
  });

  it('generates one key per logical operation, a new one for the next', async () => {
    const client = createResilientStripe(stripeFor(fake), quick());
    await client.customers.create({});
    await client.customers.create({});
    const [first, second] = fake.requests.map((request) => request.idempotencyKey);
    expect(first).toMatch(/^resilient-[0-9a-f-]{36}$/);
    expect(second).toMatch(/^resilient-[0-9a-f-]{36}$/);
    expect(second).not.toBe(first);
  });

  it("sends the caller's key on every attempt instead of a generated one", async () => {
    const client = createResilientStripe(stripeFor(fake), quick());
    fake.faults.enqueue({ type: 'status', status: 503 });
    await client.paymentIntents.create({ amount: 1_000, currency: 'usd' }, { idempotencyKey: 'order-42' });
    expect(fake.requests.map((request) => request.idempotencyKey)).toEqual(['order-42', 'order-42']);
  });

  it('uses generateIdempotencyKey, once per operation', async () => {
    let made = 0;
    const client = createResilientStripe(
      stripeFor(fake),
      quick({ generateIdempotencyKey: () => `mine-${++made}` }),
    );
    fake.faults.enqueue({ type: 'reset' });
    await client.customers.create({});
    await client.refunds.create({ payment_intent: 'pi_missing' }).catch(() => undefined);
    expect(fake.requests.map((request) => request.idempotencyKey)).toEqual(['mine-1', 'mine-1', 'mine-2']);
  });

  it('refuses a key Stripe would refuse, without sending anything', async () => {
    const client = createResilientStripe(stripeFor(fake), quick());
    const outcome = await settle(client.customers.create({}, { idempotencyKey: 'k'.repeat(256) }));
    expect(outcome.error).toMatchObject({ kind: 'invalid-request', outcome: 'not-sent' });
    expect(fake.requests).toHaveLength(0);
  });

  it('sends no key on a GET, and retries a GET whose answer was lost', async () => {
    const client = createResilientStripe(stripeFor(fake), quick());
    const created = await client.customers.create({ name: 'Ada' });
    fake.faults.enqueue({ type: 'applied-response-lost' }, { type: 'status', status: 500 });
    const found = await client.customers.retrieve(created.id);
    expect(found.id).toBe(created.id);
    expect(fake.requests.slice(1).map((request) => [request.method, request.idempotencyKey])).toEqual([
      ['GET', undefined],
      ['GET', undefined],
      ['GET', undefined],
    ]);
  });

  it('retries a request that timed out under the same key, creating once', async () => {
    const client = createResilientStripe(stripeFor(fake), quick({ attemptTimeoutMs: 300 }));
    fake.faults.enqueue({ type: 'hang' });
    const customer = await client.customers.create({ name: 'Ada' });
    expect(requestsPerKey(fake).size).toBe(1);
    expect(fake.requests).toHaveLength(2);
    expect(fake.customers.map((entry) => entry.id)).toEqual([customer.id]);
  });
});

describe('a 500 that Stripe saved under the key', () => {
  it('stops at the replay with an unknown outcome and tells the caller to reconcile', async () => {
    const client = createResilientStripe(
      stripeFor(fake),
      quick({ retry: { maxAttempts: 5, backoff: constantBackoff(0), budget: false } }),
    );
    fake.failNextExecutions(1);
    const outcome = await settle(client.customers.create({ email: 'ada@example.com' }));
    expect(outcome.error).toMatchObject({
      kind: 'server',
      outcome: 'unknown',
      retryable: false,
      attempts: 2,
    });
    expect((outcome.error as Error).message).toContain('reconcile');
    expect(fake.requests).toHaveLength(2);
    expect(fake.customers).toHaveLength(0);
    const reconciled = await client.customers.list({ email: 'ada@example.com' });
    expect(reconciled.data).toHaveLength(0);
    await expect(client.customers.create({ email: 'ada@example.com' })).resolves.toMatchObject({
      email: 'ada@example.com',
    });
  });

  it('does not retry a 500 that Stripe says not to retry', async () => {
    const client = createResilientStripe(stripeFor(fake), quick());
    fake.faults.enqueue({ type: 'status', status: 500, headers: { 'stripe-should-retry': 'false' } });
    const outcome = await settle(client.customers.create({}));
    expect(outcome.error).toMatchObject({
      kind: 'server',
      retryable: false,
      outcome: 'unknown',
      attempts: 1,
    });
    expect(fake.requests).toHaveLength(1);
  });
});
