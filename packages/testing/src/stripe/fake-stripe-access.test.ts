import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeStripe, startFakeStripe } from './fake-stripe';

const KEY = 'sk_test_fake_access_0123456789';
let fake: FakeStripe;
beforeAll(async () => {
  fake = await startFakeStripe({ apiKey: KEY });
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

describe('fake Stripe authentication, routes and rate limit', () => {
  it('answers a wrong key with 401 and shows only its last four characters', async () => {
    const wrongKey = 'sk_test_wrong_key_abcdefghijkl';
    const error = await failure(sdk(wrongKey, fake.port).customers.list());
    expect(error).toMatchObject({ type: 'StripeAuthenticationError', statusCode: 401 });
    expect((error as Error).message).toContain('ijkl');
    expect((error as Error).message).not.toContain(wrongKey);
  });

  it('answers a request without a bearer key with 401', async () => {
    const response = await fetch(`${fake.url}/v1/customers`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { message: expect.stringContaining('API key') } });
  });

  it('answers an unknown route with 404 and a request id', async () => {
    const response = await fetch(`${fake.url}/v1/invoices`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(response.status).toBe(404);
    expect(response.headers.get('request-id')).toMatch(/^req_/);
  });

  it('answers requests past the rate limit with 429 rate_limit, which the SDK makes a StripeRateLimitError', async () => {
    let clock = Date.UTC(2026, 5, 1);
    const limited = await startFakeStripe({ rateLimit: { limit: 2, windowMs: 1_000 }, now: () => clock });
    try {
      const client = sdk(KEY, limited.port);
      await client.customers.list();
      await client.customers.list();
      expect(await failure(client.customers.list())).toMatchObject({
        type: 'StripeRateLimitError',
        statusCode: 429,
        code: 'rate_limit',
      });
      clock += 1_000;
      await expect(client.customers.list()).resolves.toMatchObject({ object: 'list' });
    } finally {
      await limited.close();
    }
  });
});
