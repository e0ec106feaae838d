import { constantBackoff } from '@resilient/core';
import { type FakeStripe, findSecret, startFakeStripe } from '@resilient/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createResilientStripe, type ResilientStripeOptions } from '../src/index';
import { quick, SECRET_KEY, settle, stripeFor } from './support';

let fake: FakeStripe;
beforeAll(async () => {
  fake = await startFakeStripe();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** The error a call ends with; fails the test if it resolved. */
async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  const outcome = await settle(promise);
  expect(outcome.error).toBeDefined();
  return outcome.error;
}

const options: ResilientStripeOptions = quick({
  attemptTimeoutMs: 150,
  retry: { maxAttempts: 2, backoff: constantBackoff(0) },
});

describe('the secret key never reaches an error', () => {
  it('can be found by findSecret where it is: in the stripe-node client itself (the control)', () => {
    expect(findSecret(stripeFor(fake), SECRET_KEY)).not.toEqual([]);
  });

  for (const httpClient of ['fetch', 'node'] as const) {
    it(`is in no error a call through the ${httpClient} client ends with`, async () => {
      const node = httpClient === 'node';
      // Generous attempts, so that a slow machine changes nothing; a hasty client for the hung requests.
      const client = createResilientStripe(stripeFor(fake, { httpClient }), {
        ...options,
        attemptTimeoutMs: 2_000,
      });
      const hasty = createResilientStripe(stripeFor(fake, { httpClient }), options);
      // Two attempts per call; the Node client retries each reset once more by itself.
      fake.faults
        .repeat({ type: 'status', status: 500 }, 2)
        .repeat({ type: 'reset' }, node ? 4 : 2)
        .repeat({ type: 'malformed-body' }, 2)
        .repeat({ type: 'hang' }, node ? 0 : 2);
      const calls: [string, () => Promise<unknown>][] = [
        ['server', () => client.customers.create({ name: 'Ada' })],
        ['network', () => client.customers.create({ name: 'Ada' })],
        ['server', () => client.customers.list()],
        ['timeout', () => hasty.customers.list()],
        [
          'invalid-request',
          () =>
            client.paymentIntents.create({
              amount: 100,
              currency: 'usd',
              payment_method: 'pm_card_chargeDeclined',
              confirm: true,
            }),
        ],
        ['not-found', () => client.paymentIntents.retrieve('pi_missing')],
        ['cancelled', () => client.customers.list(undefined, { signal: AbortSignal.abort() })],
      ];
      const expected = calls.filter(([kind]) => !(node && kind === 'timeout'));
      const errors = [];
      for (const [, call] of expected) errors.push(await errorOf(call()));
      expect(errors.map((error) => (error as { kind?: string }).kind)).toEqual(
        expected.map(([kind]) => kind),
      );
      for (const error of errors) expect(findSecret(error, SECRET_KEY)).toEqual([]);
    });
  }

  it('is in no error for a refused key, a refused connection or a key given per request', async () => {
    const guarded = await startFakeStripe({ apiKey: 'sk_test_another_key_000000000000' });
    const closed = await startFakeStripe();
    await closed.close();
    try {
      const refusedKey = createResilientStripe(stripeFor(guarded), options);
      const unreachable = createResilientStripe(stripeFor(closed), options);
      const perRequest = createResilientStripe(
        stripeFor(guarded, { key: 'sk_test_another_key_000000000000' }),
        options,
      );
      const errors = [
        await errorOf(refusedKey.customers.list()),
        await errorOf(unreachable.customers.create({})),
        await errorOf(perRequest.customers.list(undefined, { apiKey: SECRET_KEY })),
      ];
      expect(errors.map((error) => (error as { kind?: string }).kind)).toEqual(['auth', 'network', 'auth']);
      expect(errors[1]).toMatchObject({ outcome: 'not-sent' });
      for (const error of errors) expect(findSecret(error, SECRET_KEY)).toEqual([]);
    } finally {
      await guarded.close();
    }
  });
});
