import { AuthError } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import { cachedSource, envSecret, type SecretSource, secret } from '@resilient/secrets';
import { type FakeStripe, startFakeStripe } from '@resilient/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createResilientStripe, type ResilientStripe, type ResilientStripeOptions } from '../src/index';
import { quick, settle, stripeFor } from './support';

/** The key the fake accepts right now: rotating it here is rotating it at Stripe. */
const accepted = { key: 'sk_test_rotation_key_one_0001' };
/** The key the secret manager holds right now, and how often it was read. */
const manager = { key: 'sk_test_rotation_key_one_0001', loads: 0 };
/** The `Stripe` client's own key, which the fake never accepts: with `apiKey`, it must go unused. */
const INSTANCE_KEY = 'sk_test_instance_key_never_sent';

let fake: FakeStripe;
beforeAll(async () => {
  fake = await startFakeStripe({
    get apiKey() {
      return accepted.key;
    },
  });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  accepted.key = manager.key = 'sk_test_rotation_key_one_0001';
  manager.loads = 0;
});

function managerSource(clock = new FakeClock()): SecretSource {
  return cachedSource(
    async () => {
      manager.loads++;
      return manager.key;
    },
    { name: 'STRIPE_SECRET_KEY', ttlMs: 300_000, clock },
  );
}

function clientWith(options: ResilientStripeOptions): ResilientStripe {
  return createResilientStripe(stripeFor(fake, { key: INSTANCE_KEY }), quick(options));
}

function withManager(clock?: FakeClock): ResilientStripe {
  return clientWith({ apiKey: managerSource(clock) });
}

describe('Stripe key rotation through the apiKey option', () => {
  it('sends the source’s key on every request instead of the Stripe client’s own', async () => {
    const client = withManager();
    await client.customers.create({ name: 'Ada' });
    await client.customers.list();
    expect(fake.requests.map((request) => request.path)).toEqual(['/v1/customers', '/v1/customers']);
    expect(manager.loads).toBe(1);
  });

  it('picks up a key rotated at Stripe and in the source with one transparent resend', async () => {
    const client = withManager();
    await client.customers.create({ name: 'Ada' });
    accepted.key = manager.key = 'sk_test_rotation_key_two_0002';
    const customer = await client.customers.create({ name: 'Grace' }, { idempotencyKey: 'rotated-1' });
    expect(fake.customers.map((entry) => entry.id)).toEqual([fake.customers[0]?.id, customer.id]);
    expect(fake.requests).toHaveLength(3);
    expect(fake.requests.slice(1).map((request) => request.idempotencyKey)).toEqual([
      'rotated-1',
      'rotated-1',
    ]);
    await client.customers.list();
    expect(fake.requests).toHaveLength(4);
    expect(manager.loads).toBe(2);
  });

  it('rotates a GET too, which carries no idempotency key', async () => {
    const client = withManager();
    await client.customers.list();
    accepted.key = manager.key = 'sk_test_rotation_key_two_0002';
    await expect(client.customers.list()).resolves.toMatchObject({ object: 'list' });
    expect(fake.requests.map((request) => request.idempotencyKey)).toEqual([undefined, undefined, undefined]);
  });

  it('rotates calls made with call(), which pass the attempt’s request options on', async () => {
    const client = withManager();
    await client.customers.list();
    accepted.key = manager.key = 'sk_test_rotation_key_two_0002';
    const customer = await client.call('customers.create', (stripe, requestOptions) =>
      stripe.customers.create({ name: 'Ada' }, requestOptions),
    );
    expect(fake.customers.map((entry) => entry.id)).toEqual([customer.id]);
    expect(fake.requests).toHaveLength(3);
  });

  it('ends a revoked key (the source still has it) with one AuthError and one request', async () => {
    const client = withManager();
    accepted.key = 'sk_test_someone_else_0003';
    const { error } = await settle(client.customers.create({ name: 'Ada' }));
    expect(AuthError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'auth', status: 401, attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  it('stops when the fresh key is refused too: two requests, one AuthError, no loop', async () => {
    const client = withManager();
    await client.customers.create({ name: 'Ada' });
    accepted.key = 'sk_test_revoked_everywhere_04';
    manager.key = 'sk_test_also_bad_key_000005';
    const { error } = await settle(client.customers.create({ name: 'Grace' }, { idempotencyKey: 'g-1' }));
    expect(error).toMatchObject({ kind: 'auth', status: 401, attempts: 1 });
    expect(fake.requests).toHaveLength(3);
    expect(fake.customers).toHaveLength(1);
  });

  it('reads the source a bounded number of times when many calls meet a revoked key', async () => {
    const client = withManager(new FakeClock());
    accepted.key = 'sk_test_revoked_everywhere_04';
    for (let call = 0; call < 20; call++) {
      await expect(client.customers.list()).rejects.toMatchObject({ kind: 'auth', attempts: 1 });
    }
    expect(fake.requests).toHaveLength(20);
    // One load, and one forced refresh: the others fall within the source's refresh interval.
    expect(manager.loads).toBe(2);
  });

  it('does not resend with a plain key or a Secret: there is nothing to rotate to', async () => {
    accepted.key = 'sk_test_other_key_000000006';
    for (const apiKey of [
      'sk_test_rotation_key_one_0001',
      secret('sk_test_rotation_key_one_0001', { name: 'STRIPE_SECRET_KEY' }),
    ]) {
      await expect(clientWith({ apiKey }).customers.list()).rejects.toMatchObject({ kind: 'auth' });
    }
    expect(fake.requests).toHaveLength(2);
  });

  it('lets a key given for one call win over the source', async () => {
    const client = withManager();
    accepted.key = 'sk_test_connect_platform_07';
    await expect(
      client.customers.list(undefined, { apiKey: 'sk_test_connect_platform_07' }),
    ).resolves.toMatchObject({ object: 'list' });
    expect(manager.loads).toBe(0);
  });

  it('fails a call whose key is missing with an AuthError naming it, before any request', async () => {
    const client = clientWith({ apiKey: envSecret('STRIPE_SECRET_KEY', { env: {}, envFile: false }) });
    const { error } = await settle(client.customers.create({ name: 'Ada' }));
    expect(AuthError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'auth', outcome: 'not-sent' });
    expect((error as Error).message).toMatch(/STRIPE_SECRET_KEY/);
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    ['an empty string', ''],
    ['a number', 42],
    ['an object without get and refresh', { name: 'x' }],
  ])('refuses %s as apiKey, naming the option', (_case, apiKey) => {
    expect(() => clientWith({ apiKey: apiKey as never })).toThrow(/createResilientStripe: apiKey must be/);
  });
});
