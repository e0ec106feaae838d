import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findSecret } from '../secrets/find-secret';
import { type FakeStripe, startFakeStripe } from './fake-stripe';

const KEY = 'sk_test_fake_faults_canary_0123456789';
let fake: FakeStripe;
let stripe: Stripe;
beforeAll(async () => {
  fake = await startFakeStripe({ apiKey: KEY });
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

describe('fake Stripe faults, as stripe-node sees them', () => {
  it('answers a status fault with Stripe error bodies by status and by code, without applying it', async () => {
    fake.faults.enqueue(
      { type: 'status', status: 503 },
      { type: 'status', code: 'lock_timeout' },
      { type: 'status', status: 402 },
    );
    expect(await failure(stripe.customers.create({}))).toMatchObject({
      type: 'StripeAPIError',
      statusCode: 503,
      rawType: 'api_error',
      requestId: expect.stringMatching(/^req_/),
    });
    expect(await failure(stripe.customers.create({}))).toMatchObject({
      type: 'StripeRateLimitError',
      statusCode: 429,
      code: 'lock_timeout',
    });
    expect(await failure(stripe.customers.create({}))).toMatchObject({
      type: 'StripeCardError',
      code: 'card_declined',
      decline_code: 'generic_decline',
    });
    expect(fake.customers).toHaveLength(0);
  });

  it("passes a status fault's headers, so a 429 can carry Stripe-Should-Retry and Retry-After", async () => {
    fake.faults.enqueue({
      type: 'status',
      status: 429,
      retryAfterSeconds: 2,
      headers: { 'stripe-should-retry': 'true' },
    });
    expect(await failure(stripe.customers.list())).toMatchObject({
      type: 'StripeRateLimitError',
      headers: { 'stripe-should-retry': 'true', 'retry-after': '2' },
    });
  });

  it('sends a raw body for a status fault that gives one, which the SDK cannot parse', async () => {
    fake.faults.enqueue({ type: 'status', status: 502, body: '<html>Bad gateway</html>' });
    expect(await failure(stripe.customers.list())).toMatchObject({
      type: 'StripeAPIError',
      message: 'Invalid JSON received from the Stripe API',
    });
  });

  it('applies a request after a latency fault', async () => {
    fake.faults.enqueue({ type: 'latency', ms: 30 });
    await stripe.customers.create({ name: 'Ada' });
    expect(fake.customers).toHaveLength(1);
  });

  it('never answers a hang: the SDK times out with a StripeConnectionError, and nothing is applied', async () => {
    fake.faults.enqueue({ type: 'hang' });
    expect(await failure(stripe.customers.create({}, { timeout: 300 }))).toMatchObject({
      type: 'StripeConnectionError',
      message: expect.stringContaining('timeout'),
    });
    expect(fake.customers).toHaveLength(0);
  });

  it('resets the connection without applying the request', async () => {
    fake.faults.enqueue({ type: 'reset' });
    expect(await failure(stripe.customers.create({}))).toMatchObject({ type: 'StripeConnectionError' });
    expect(fake.customers).toHaveLength(0);
  });

  it('applies a request whose answer is malformed; the retry under its key gets the saved answer', async () => {
    fake.faults.enqueue({ type: 'malformed-body' });
    const error = await failure(stripe.customers.create({ name: 'Ada' }, { idempotencyKey: 'mb-1' }));
    expect(error).toMatchObject({
      type: 'StripeAPIError',
      message: 'Invalid JSON received from the Stripe API',
    });
    const retried = await stripe.customers.create({ name: 'Ada' }, { idempotencyKey: 'mb-1' });
    expect(fake.customers.map((customer) => customer.id)).toEqual([retried.id]);
  });

  it('applies a request whose answer is lost; the retry under its key gets the saved answer', async () => {
    fake.faults.enqueue({ type: 'applied-response-lost' });
    const error = await failure(stripe.customers.create({ name: 'Ada' }, { idempotencyKey: 'lost-1' }));
    expect(error).toMatchObject({ type: 'StripeConnectionError' });
    const retried = await stripe.customers.create({ name: 'Ada' }, { idempotencyKey: 'lost-1' });
    expect(fake.customers.map((customer) => customer.id)).toEqual([retried.id]);
    expect(fake.faults.applied).toEqual([
      { request: 1, fault: { type: 'applied-response-lost' }, source: 'script' },
    ]);
  });

  it("is invisible to stripe-node's Node HTTP client when an answer is lost: its hidden retry gets the replay", async () => {
    const nodeClient = new Stripe(KEY, {
      host: '127.0.0.1',
      port: fake.port,
      protocol: 'http',
      maxNetworkRetries: 0,
      telemetry: false,
      httpClient: Stripe.createNodeHttpClient(),
    });
    fake.faults.enqueue({ type: 'applied-response-lost' });
    const customer = await nodeClient.customers.create({ name: 'Ada' });
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]?.idempotencyKey).toBe(fake.requests[0]?.idempotencyKey);
    expect(fake.requests[0]?.idempotencyKey).toMatch(/^stripe-node-retry-/);
    expect(fake.customers.map((entry) => entry.id)).toEqual([customer.id]);
  });

  it('draws the same faults for the same seed on every run', async () => {
    const run = async () => {
      fake.reset();
      fake.faults.atRandom({
        seed: 11,
        probability: 0.5,
        faults: [{ type: 'status', status: 500 }, { type: 'reset' }],
      });
      for (let index = 0; index < 12; index++) await failure(stripe.customers.list());
      return fake.faults.applied.map(({ request, fault }) => `${request}:${fault.type}`);
    };
    const first = await run();
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(12);
    expect(await run()).toEqual(first);
  });

  it('never shows the secret key in what the SDK throws for its answers', async () => {
    fake.faults.enqueue({ type: 'status', status: 500 }, { type: 'reset' });
    const errors = [
      await failure(stripe.customers.create({})),
      await failure(stripe.customers.create({})),
      await failure(stripe.customers.retrieve('cus_missing')),
    ];
    for (const error of errors) expect(findSecret(error, KEY)).toEqual([]);
    expect(JSON.stringify(fake.requests)).not.toContain(KEY);
  });
});
