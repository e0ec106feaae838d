import { CircuitOpenError, constantBackoff, RateLimitError } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import { type FakeStripe, startFakeStripe } from '@resilient/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createResilientStripe } from '../src/index';
import { quick, settle, stripeFor } from './support';

let fake: FakeStripe;
beforeAll(async () => {
  fake = await startFakeStripe();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const declined = { amount: 2_500, currency: 'usd', payment_method: 'pm_card_chargeDeclined', confirm: true };

describe('card declines', () => {
  it('reach the caller at once: one request, no retry, the decline details kept', async () => {
    const client = createResilientStripe(
      stripeFor(fake),
      quick({ retry: { maxAttempts: 5, backoff: constantBackoff(0) } }),
    );
    const outcome = await settle(client.paymentIntents.create(declined));
    expect(outcome.error).toMatchObject({
      kind: 'invalid-request',
      code: 'card_declined',
      retryable: false,
      outcome: 'failed',
      status: 402,
      attempts: 1,
      requestId: expect.stringMatching(/^req_/),
      cause: { decline_code: 'generic_decline', payment_intent: { status: 'requires_payment_method' } },
    });
    expect(fake.requests).toHaveLength(1);
    expect(fake.charges).toHaveLength(1);
  });

  it('never count against the breaker, while server errors do', async () => {
    const client = createResilientStripe(
      stripeFor(fake),
      quick({ retry: false, circuitBreaker: { strategy: { type: 'consecutive', threshold: 2 } } }),
    );
    for (let index = 0; index < 4; index++) await settle(client.paymentIntents.create(declined));
    expect(client.pipelineFor().breaker?.state).toBe('closed');
    fake.faults.repeat({ type: 'status', status: 500 }, 2);
    await settle(client.customers.create({}));
    await settle(client.customers.create({}));
    expect(client.pipelineFor().breaker?.state).toBe('open');
    const rejected = await settle(client.paymentIntents.create(declined));
    expect(CircuitOpenError.isInstance(rejected.error)).toBe(true);
    expect(fake.requests).toHaveLength(6);
  });

  it('reach the caller from a confirmation too, without a second charge', async () => {
    const client = createResilientStripe(stripeFor(fake), quick());
    const intent = await client.paymentIntents.create({ amount: 900, currency: 'eur' });
    const outcome = await settle(
      client.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_chargeDeclinedExpiredCard' }),
    );
    expect(outcome.error).toMatchObject({ kind: 'invalid-request', code: 'expired_card', attempts: 1 });
    expect(fake.charges).toHaveLength(1);
  });
});

describe('rate limits', () => {
  it('retries a 429 after the backoff, not before', async () => {
    const clock = new FakeClock();
    let delays: (delay: number) => void = () => undefined;
    const scheduled = new Promise<number>((resolve) => {
      delays = resolve;
    });
    const client = createResilientStripe(stripeFor(fake), {
      clock,
      circuitBreaker: false,
      retry: { backoff: constantBackoff(2_000), budget: false },
      plugins: [{ name: 'spy', onRetryScheduled: ({ delayMs }) => delays(delayMs) }],
    });
    fake.faults.enqueue({ type: 'status', status: 429 });
    const pending = client.customers.list();
    expect(await scheduled).toBe(2_000);
    await clock.advance(1_999);
    expect(fake.requests).toHaveLength(1);
    await clock.advance(1);
    await expect(pending).resolves.toMatchObject({ object: 'list' });
    expect(fake.requests).toHaveLength(2);
  });

  it('waits out a Retry-After when Stripe sends one, as a RateLimitError when attempts run out', async () => {
    const clock = new FakeClock();
    let delays: (delay: number) => void = () => undefined;
    const scheduled = new Promise<number>((resolve) => {
      delays = resolve;
    });
    const client = createResilientStripe(stripeFor(fake), {
      clock,
      circuitBreaker: false,
      retry: { maxAttempts: 2, backoff: constantBackoff(10), budget: false },
      plugins: [{ name: 'spy', onRetryScheduled: ({ delayMs }) => delays(delayMs) }],
    });
    fake.faults.repeat({ type: 'status', status: 429, retryAfterSeconds: 3 }, 2);
    const pending = settle(client.customers.create({}));
    expect(await scheduled).toBe(3_000);
    await clock.advance(3_000);
    const outcome = await pending;
    expect(RateLimitError.isInstance(outcome.error)).toBe(true);
    expect(outcome.error).toMatchObject({ kind: 'rate-limit', retryAfterMs: 3_000, attempts: 2 });
  });
});

describe("Stripe's advice and conflicts", () => {
  it('retries a 400 that Stripe-Should-Retry: true says to retry', async () => {
    const client = createResilientStripe(stripeFor(fake), quick());
    fake.faults.enqueue({
      type: 'status',
      status: 400,
      code: 'lock_timeout',
      headers: { 'stripe-should-retry': 'true' },
    });
    await client.customers.create({ name: 'Ada' });
    expect(fake.requests).toHaveLength(2);
    expect(fake.customers).toHaveLength(1);
  });

  it('does not retry a key reused with other parameters', async () => {
    const client = createResilientStripe(stripeFor(fake), quick());
    await client.customers.create({ name: 'Ada' }, { idempotencyKey: 'signup-7' });
    const outcome = await settle(client.customers.create({ name: 'Grace' }, { idempotencyKey: 'signup-7' }));
    expect(outcome.error).toMatchObject({ kind: 'conflict', retryable: false, attempts: 1 });
    expect(fake.requests).toHaveLength(2);
  });

  it("retries 409 idempotency_key_in_use after a backoff, and gets the first request's answer", async () => {
    const clock = new FakeClock();
    let retryScheduled: () => void = () => undefined;
    const scheduled = new Promise<void>((resolve) => {
      retryScheduled = resolve;
    });
    const first = createResilientStripe(stripeFor(fake), quick());
    const second = createResilientStripe(stripeFor(fake), {
      clock,
      circuitBreaker: false,
      retry: { backoff: constantBackoff(1_000), budget: false },
      plugins: [{ name: 'spy', onRetryScheduled: () => retryScheduled() }],
    });
    fake.faults.enqueue({ type: 'latency', ms: 100 });
    const running = first.customers.create({ name: 'Ada' }, { idempotencyKey: 'busy-1' });
    while (fake.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const waiting = second.customers.create({ name: 'Ada' }, { idempotencyKey: 'busy-1' });
    await scheduled; // the 409 came back: the first request still runs
    const created = await running;
    await clock.advance(1_000);
    expect((await waiting).id).toBe(created.id);
    expect(fake.requests).toHaveLength(3);
    expect(fake.customers).toHaveLength(1);
  });

  it('reports a wrong key as an auth error, not retried', async () => {
    const guarded = await startFakeStripe({ apiKey: 'sk_test_the_right_key_0000000000' });
    try {
      const client = createResilientStripe(stripeFor(guarded), quick());
      const outcome = await settle(client.customers.list());
      expect(outcome.error).toMatchObject({ kind: 'auth', retryable: false, attempts: 1, status: 401 });
    } finally {
      await guarded.close();
    }
  });

  it('reports an unknown object as not-found', async () => {
    const client = createResilientStripe(stripeFor(fake), quick());
    const outcome = await settle(client.paymentIntents.retrieve('pi_missing'));
    expect(outcome.error).toMatchObject({ kind: 'not-found', code: 'resource_missing', attempts: 1 });
  });
});
