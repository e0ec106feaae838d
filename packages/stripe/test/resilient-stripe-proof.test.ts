import { constantBackoff, ResilientError, resilient } from '@resilient/core';
import { type FakeStripe, type Fault, startFakeStripe } from '@resilient/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createResilientStripe } from '../src/index';
import { requestsPerKey, settle, stripeFor } from './support';

const N = 60;
const MAX_ATTEMPTS = 8;
/** 30% of requests get a fault: half of them are applied with the answer lost, half are 5xx. */
const FAULTS = {
  seed: 2026,
  probability: 0.3,
  faults: [
    { type: 'applied-response-lost' },
    { type: 'applied-response-lost' },
    { type: 'status', status: 500 },
    { type: 'status', status: 503 },
  ] satisfies Fault[],
};
const retry = { maxAttempts: MAX_ATTEMPTS, backoff: constantBackoff(0), budget: false as const };

let fake: FakeStripe;
beforeAll(async () => {
  fake = await startFakeStripe();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  fake.faults.atRandom(FAULTS);
});

const params = (index: number) => ({ email: `user${index}@example.com`, metadata: { user: String(index) } });

describe('the proof: exactly one customer per logical operation under lost answers and 5xx', () => {
  it('leaves exactly N customers for N creates, each within maxAttempts requests', async () => {
    const client = createResilientStripe(stripeFor(fake), { retry, circuitBreaker: false });
    const outcomes = [];
    for (let index = 0; index < N; index++)
      outcomes.push(await settle(client.customers.create(params(index))));

    for (const outcome of outcomes) {
      if (outcome.error !== undefined) expect(ResilientError.isInstance(outcome.error)).toBe(true);
    }
    expect(outcomes.filter((outcome) => outcome.error !== undefined)).toEqual([]);
    expect(fake.customers).toHaveLength(N);
    const returned = outcomes.map((outcome) => outcome.value?.id);
    expect(new Set(returned).size).toBe(N);
    expect(new Set(fake.customers.map((customer) => customer.id))).toEqual(new Set(returned));

    const perKey = requestsPerKey(fake);
    expect(perKey.size).toBe(N);
    expect(Math.max(...perKey.values())).toBeLessThanOrEqual(MAX_ATTEMPTS);
    const createdPerKey = new Map<string | undefined, number>();
    for (const write of fake.deliveries)
      createdPerKey.set(write.idempotencyKey, (createdPerKey.get(write.idempotencyKey) ?? 0) + 1);
    expect([...createdPerKey.values()].every((count) => count === 1)).toBe(true);

    // The faults did happen: answers were lost after the customer was created, and 5xx were answered.
    const kinds = fake.faults.applied.map(({ fault }) => fault.type);
    expect(kinds.filter((kind) => kind === 'applied-response-lost').length).toBeGreaterThan(3);
    expect(kinds.filter((kind) => kind === 'status').length).toBeGreaterThan(3);
    expect(fake.requests.length).toBeGreaterThan(N);
  });

  it('keeps the invariants with the creates running concurrently: typed errors only, never a duplicate', async () => {
    const client = createResilientStripe(stripeFor(fake), { retry, circuitBreaker: false });
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, index) => settle(client.customers.create(params(index)))),
    );
    const errors = outcomes.flatMap((outcome) => (outcome.error === undefined ? [] : [outcome.error]));
    expect(errors.every((error) => ResilientError.isInstance(error))).toBe(true);
    const resolved = outcomes.flatMap((outcome) => (outcome.value === undefined ? [] : [outcome.value.id]));
    const keys = fake.deliveries.map((write) => write.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(fake.customers.length).toBeGreaterThanOrEqual(resolved.length);
    expect(fake.customers.length).toBeLessThanOrEqual(40);
    expect(Math.max(...requestsPerKey(fake).values())).toBeLessThanOrEqual(MAX_ATTEMPTS);
  });

  it('would duplicate customers with a retry that changes the key per attempt (the control)', async () => {
    const stripe = stripeFor(fake, { config: { maxNetworkRetries: 0 } });
    const naive = resilient({ service: 'stripe', retry, circuitBreaker: false });
    for (let index = 0; index < N; index++) {
      await settle(
        naive.execute(
          ({ attempt }) =>
            stripe.customers.create(params(index), { idempotencyKey: `naive-${index}-${attempt}` }),
          { idempotent: true },
        ),
      );
    }
    expect(fake.customers.length).toBeGreaterThan(N);
  });

  it('lets a card decline reach the caller at once, in one request', async () => {
    fake.faults.stopRandom();
    const client = createResilientStripe(stripeFor(fake), { retry, circuitBreaker: false });
    const outcome = await settle(
      client.paymentIntents.create({
        amount: 4_200,
        currency: 'usd',
        payment_method: 'pm_card_chargeDeclined',
        confirm: true,
      }),
    );
    expect(outcome.error).toMatchObject({
      kind: 'invalid-request',
      code: 'card_declined',
      retryable: false,
      attempts: 1,
    });
    expect(fake.requests).toHaveLength(1);
  });
});
