import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeStripe, startFakeStripe } from './fake-stripe';

const KEY = 'sk_test_fake_resources_0123456789';
let fake: FakeStripe;
let stripe: Stripe;
beforeAll(async () => {
  fake = await startFakeStripe({ apiKey: KEY });
  stripe = sdk(KEY, fake.port);
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function sdk(key: string, port: number): Stripe {
  return new Stripe(key, {
    host: '127.0.0.1',
    port,
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
    httpClient: Stripe.createFetchHttpClient(),
  });
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('fake Stripe customers', () => {
  it('creates a customer from the form body the SDK sends, and records it', async () => {
    const customer = await stripe.customers.create({ email: 'ada@example.com', metadata: { plan: 'pro' } });
    expect(customer).toMatchObject({
      object: 'customer',
      email: 'ada@example.com',
      metadata: { plan: 'pro' },
    });
    expect(customer.id).toMatch(/^cus_[A-Za-z0-9]{14}$/);
    expect(fake.customers.map((entry) => entry.id)).toEqual([customer.id]);
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/customers',
      body: { email: 'ada@example.com', metadata: { plan: 'pro' } },
      headers: { authorization: '[redacted]' },
    });
  });

  it('retrieves a customer, and answers resource_missing for an unknown id', async () => {
    const created = await stripe.customers.create({ name: 'Ada' });
    expect(await stripe.customers.retrieve(created.id)).toMatchObject({ id: created.id, name: 'Ada' });
    const error = await failure(stripe.customers.retrieve('cus_missing'));
    expect(error).toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 404,
      code: 'resource_missing',
      message: "No such customer: 'cus_missing'",
    });
  });

  it('lists newest first, with limit, starting_after and an email filter read from the query', async () => {
    const first = await stripe.customers.create({ email: 'a@example.com' });
    const second = await stripe.customers.create({ email: 'b@example.com' });
    const third = await stripe.customers.create({ email: 'a@example.com' });
    const page = await stripe.customers.list({ limit: 2 });
    expect(page.data.map((customer) => customer.id)).toEqual([third.id, second.id]);
    expect(page.has_more).toBe(true);
    const next = await stripe.customers.list({ limit: 2, starting_after: second.id });
    expect(next.data.map((customer) => customer.id)).toEqual([first.id]);
    expect(next.has_more).toBe(false);
    const byEmail = await stripe.customers.list({ email: 'a@example.com' });
    expect(byEmail.data.map((customer) => customer.id)).toEqual([third.id, first.id]);
    expect(fake.requests.at(-1)?.query).toEqual({ email: 'a@example.com' });
  });

  it('refuses an invalid email and an out-of-range limit as invalid requests', async () => {
    expect(await failure(stripe.customers.create({ email: 'not-an-email' }))).toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'email_invalid',
      param: 'email',
    });
    expect(await failure(stripe.customers.list({ limit: 101 }))).toMatchObject({
      statusCode: 400,
      code: 'parameter_invalid_integer',
    });
    expect(fake.customers).toHaveLength(0);
  });
});

describe('fake Stripe PaymentIntents and refunds', () => {
  it('creates, confirms and retrieves a PaymentIntent, making one succeeded charge', async () => {
    const customer = await stripe.customers.create({});
    const intent = await stripe.paymentIntents.create({
      amount: 2_000,
      currency: 'EUR',
      customer: customer.id,
    });
    expect(intent).toMatchObject({ status: 'requires_payment_method', currency: 'eur', amount: 2_000 });
    const confirmed = await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    expect(confirmed).toMatchObject({ status: 'succeeded', amount_received: 2_000 });
    expect(await stripe.paymentIntents.retrieve(intent.id)).toMatchObject({ status: 'succeeded' });
    expect(fake.charges).toEqual([
      expect.objectContaining({ payment_intent: intent.id, status: 'succeeded' }),
    ]);
  });

  it('declines pm_card_chargeDeclined with a 402 card error that carries the PaymentIntent', async () => {
    const error = await failure(
      stripe.paymentIntents.create({
        amount: 500,
        currency: 'usd',
        payment_method: 'pm_card_chargeDeclinedInsufficientFunds',
        confirm: true,
      }),
    );
    expect(error).toMatchObject({
      type: 'StripeCardError',
      statusCode: 402,
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      payment_intent: { status: 'requires_payment_method', last_payment_error: { code: 'card_declined' } },
    });
    expect(fake.paymentIntents).toHaveLength(1);
    expect(fake.charges).toEqual([
      expect.objectContaining({ status: 'failed', failure_code: 'card_declined' }),
    ]);
  });

  it('refuses to confirm twice, without a payment method, or with an unknown one', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 500, currency: 'usd' });
    expect(await failure(stripe.paymentIntents.confirm(intent.id))).toMatchObject({
      code: 'payment_intent_unexpected_state',
    });
    expect(
      await failure(stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_unknown' })),
    ).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'payment_method' });
    await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    expect(
      await failure(stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' })),
    ).toMatchObject({ code: 'payment_intent_unexpected_state' });
    expect(fake.charges).toHaveLength(1);
  });

  it('refuses a PaymentIntent without amount or with an unknown customer', async () => {
    expect(await failure(stripe.paymentIntents.create({ currency: 'usd' } as never))).toMatchObject({
      code: 'parameter_missing',
      param: 'amount',
    });
    expect(
      await failure(stripe.paymentIntents.create({ amount: 100, currency: 'usd', customer: 'cus_nobody' })),
    ).toMatchObject({ code: 'resource_missing', param: 'customer' });
    expect(fake.paymentIntents).toHaveLength(0);
  });

  it('refunds part, then the rest, then refuses more', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 1_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const part = await stripe.refunds.create({ payment_intent: intent.id, amount: 300 });
    expect(await failure(stripe.refunds.create({ payment_intent: intent.id, amount: 800 }))).toMatchObject({
      code: 'amount_too_large',
    });
    const rest = await stripe.refunds.create({ payment_intent: intent.id });
    expect(await failure(stripe.refunds.create({ payment_intent: intent.id }))).toMatchObject({
      code: 'charge_already_refunded',
    });
    expect([part.amount, rest.amount]).toEqual([300, 700]);
    expect(fake.refunds.map((refund) => refund.id)).toEqual([part.id, rest.id]);
  });

  it('refuses to refund a PaymentIntent that has not succeeded', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 1_000, currency: 'usd' });
    expect(await failure(stripe.refunds.create({ payment_intent: intent.id }))).toMatchObject({
      code: 'payment_intent_unexpected_state',
    });
    expect(fake.refunds).toHaveLength(0);
  });
});
