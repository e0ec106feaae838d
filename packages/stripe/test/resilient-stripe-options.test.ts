import { startFakeStripe } from '@resilient/testing';
import { describe, expect, it } from 'vitest';
import { createResilientStripe, type ResilientStripeOptions } from '../src/index';
import { stripeFor } from './support';

const fake = await startFakeStripe();
const stripe = stripeFor(fake);
await fake.close();

const build = (options: unknown) => () => createResilientStripe(stripe, options as ResilientStripeOptions);

describe('createResilientStripe options, checked when the client is built', () => {
  it('refuses an unknown option, naming it and the accepted ones', () => {
    expect(build({ retries: 3 })).toThrow(
      /unknown option "retries"; accepted options are service, breakerScope/,
    );
  });

  it('refuses the options it decides per call, saying why', () => {
    expect(build({ idempotent: true })).toThrow(
      /idempotent is not an option here: idempotency is decided per call/,
    );
    expect(build({ fallback: { value: 1 } })).toThrow(/fallback is not an option here/);
    expect(build({ operation: 'x' })).toThrow(/operation is not an option here/);
  });

  it('refuses a breakerScope other than client or resource', () => {
    expect(build({ breakerScope: 'endpoint' })).toThrow(
      /breakerScope must be "client" or "resource"; got "endpoint"/,
    );
  });

  it('refuses a generateIdempotencyKey that is not a function, and a blank service', () => {
    expect(build({ generateIdempotencyKey: 'key' })).toThrow(/generateIdempotencyKey must be a function/);
    expect(build({ service: ' ' })).toThrow(/service must be a non-empty string/);
  });

  it("passes the pipeline's options to resilient(), which checks their ranges", () => {
    expect(build({ attemptTimeoutMs: -1 })).toThrow(/attemptTimeoutMs/);
    expect(build({ totalTimeoutMs: 1_000, attemptTimeoutMs: 2_000 })).toThrow(
      /totalTimeoutMs \(1000\) must be at least/,
    );
    expect(build({ retry: { maxAttempts: 0 } })).toThrow(/maxAttempts/);
  });

  it('refuses something that is not a stripe-node client, and stripe-node before 22', () => {
    expect(() => createResilientStripe({} as never)).toThrow(/stripe must be a stripe-node client/);
    expect(() => createResilientStripe({ customers: {}, VERSION: '21.4.0' } as never)).toThrow(
      /stripe-node 22 or later is required .*got 21\.4\.0/,
    );
  });

  it('names the service on every error', async () => {
    const client = createResilientStripe(stripe, { service: 'stripe-eu', retry: false });
    await expect(client.customers.list()).rejects.toMatchObject({ service: 'stripe-eu', kind: 'network' });
  });
});
