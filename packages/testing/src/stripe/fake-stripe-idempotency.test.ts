import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeStripe, startFakeStripe } from './fake-stripe';
import { STRIPE_IDEMPOTENCY_WINDOW_MS } from './stripe-idempotency';

const KEY = 'sk_test_fake_idempotency_0123456789';
let clock = Date.UTC(2026, 5, 1);
let fake: FakeStripe;
let stripe: Stripe;
beforeAll(async () => {
  fake = await startFakeStripe({ apiKey: KEY, now: () => clock });
  stripe = new Stripe(KEY, {
    host: '127.0.0.1',
    port: fake.port,
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
    httpClient: Stripe.createFetchHttpClient(),
  });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('fake Stripe idempotency keys', () => {
  it('replays the first answer to the same key and parameters, marked Idempotent-Replayed, creating once', async () => {
    const first = await stripe.customers.create({ email: 'ada@example.com' }, { idempotencyKey: 'signup-1' });
    const again = await stripe.customers.create({ email: 'ada@example.com' }, { idempotencyKey: 'signup-1' });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.requestId).toBe(first.lastResponse.requestId);
    expect(fake.requests).toHaveLength(2);
    expect(fake.customers).toHaveLength(1);
    expect(fake.deliveries).toEqual([{ object: 'customer', id: first.id, idempotencyKey: 'signup-1' }]);
    const replayed = await fetch(`${fake.url}/v1/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'idempotency-key': 'signup-1' },
      body: 'email=ada%40example.com',
    });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
  });

  it('replays a decline under its key without charging the card again', async () => {
    const params = { amount: 700, currency: 'usd', payment_method: 'pm_card_chargeDeclined', confirm: true };
    const first = await failure(stripe.paymentIntents.create(params, { idempotencyKey: 'order-9' }));
    const second = await failure(stripe.paymentIntents.create(params, { idempotencyKey: 'order-9' }));
    expect(first).toMatchObject({ type: 'StripeCardError', code: 'card_declined' });
    expect(second).toMatchObject({
      type: 'StripeCardError',
      code: 'card_declined',
      headers: { 'idempotent-replayed': 'true' },
    });
    expect(fake.charges).toHaveLength(1);
    expect(fake.paymentIntents).toHaveLength(1);
  });

  it('refuses a key reused with other parameters as an idempotency_error (StripeIdempotencyError)', async () => {
    await stripe.customers.create({ email: 'ada@example.com' }, { idempotencyKey: 'signup-2' });
    const error = await failure(
      stripe.customers.create({ email: 'grace@example.com' }, { idempotencyKey: 'signup-2' }),
    );
    expect(error).toMatchObject({
      type: 'StripeIdempotencyError',
      statusCode: 400,
      rawType: 'idempotency_error',
    });
    expect(fake.customers).toHaveLength(1);
  });

  it('refuses a key reused on another endpoint', async () => {
    await stripe.customers.create({}, { idempotencyKey: 'shared' });
    const error = await failure(
      stripe.paymentIntents.create({ amount: 1, currency: 'usd' }, { idempotencyKey: 'shared' }),
    );
    expect(error).toMatchObject({ type: 'StripeIdempotencyError' });
  });

  it('answers 409 idempotency_key_in_use while the first request with the key runs', async () => {
    fake.faults.enqueue({ type: 'latency', ms: 150 });
    const slow = stripe.customers.create({ name: 'Ada' }, { idempotencyKey: 'busy' });
    while (fake.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const concurrent = await failure(stripe.customers.create({ name: 'Ada' }, { idempotencyKey: 'busy' }));
    expect(concurrent).toMatchObject({
      type: 'StripeAPIError',
      statusCode: 409,
      code: 'idempotency_key_in_use',
    });
    const created = await slow;
    const later = await stripe.customers.create({ name: 'Ada' }, { idempotencyKey: 'busy' });
    expect(later.id).toBe(created.id);
    expect(fake.customers).toHaveLength(1);
  });

  it('saves nothing when the parameters fail validation, so the key can be used again', async () => {
    const invalid = await failure(
      stripe.paymentIntents.create({ currency: 'usd' } as never, { idempotencyKey: 'pi-1' }),
    );
    expect(invalid).toMatchObject({ code: 'parameter_missing' });
    const intent = await stripe.paymentIntents.create(
      { amount: 100, currency: 'usd' },
      { idempotencyKey: 'pi-1' },
    );
    expect(intent.amount).toBe(100);
  });

  it('saves a failure inside the endpoint and replays that 500 to every retry with the key', async () => {
    fake.failNextExecutions(1);
    const first = await failure(stripe.customers.create({ name: 'Ada' }, { idempotencyKey: 'boom' }));
    const retry = await failure(stripe.customers.create({ name: 'Ada' }, { idempotencyKey: 'boom' }));
    expect(first).toMatchObject({ type: 'StripeAPIError', statusCode: 500, rawType: 'api_error' });
    expect((first as { headers: Record<string, string> }).headers['idempotent-replayed']).toBeUndefined();
    expect(retry).toMatchObject({ statusCode: 500, headers: { 'idempotent-replayed': 'true' } });
    expect(fake.customers).toHaveLength(0);
    await expect(
      stripe.customers.create({ name: 'Ada' }, { idempotencyKey: 'fresh' }),
    ).resolves.toMatchObject({
      name: 'Ada',
    });
  });

  it('does not save a status fault, which fails before the endpoint runs', async () => {
    fake.faults.enqueue({ type: 'status', status: 500 });
    expect(await failure(stripe.customers.create({}, { idempotencyKey: 'early' }))).toMatchObject({
      statusCode: 500,
    });
    await expect(stripe.customers.create({}, { idempotencyKey: 'early' })).resolves.toMatchObject({
      object: 'customer',
    });
    expect(fake.customers).toHaveLength(1);
  });

  it('forgets a key after 24 hours: the same key then creates again', async () => {
    await stripe.customers.create({}, { idempotencyKey: 'old' });
    clock += STRIPE_IDEMPOTENCY_WINDOW_MS;
    await stripe.customers.create({}, { idempotencyKey: 'old' });
    expect(fake.customers).toHaveLength(2);
  });

  it('refuses a key longer than 255 characters', async () => {
    const error = await failure(stripe.customers.create({}, { idempotencyKey: 'k'.repeat(256) }));
    expect(error).toMatchObject({ type: 'StripeIdempotencyError', statusCode: 400 });
    expect(fake.customers).toHaveLength(0);
  });
});
