import { format } from 'node:util';
import { ResilientError } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import { cachedSource, type SecretInput, secret } from '@resilient/secrets';
import { type FakeStripe, type Fault, findSecret, STRIPE_ERRORS, startFakeStripe } from '@resilient/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createResilientStripe } from '../src/index';
import { quick, settle, stripeFor } from './support';

/** A canary that matches no redaction pattern: only never keeping the key keeps it out. */
const CANARY = 'canary-3f9b2d71-stripe-secret-key';

let fake: FakeStripe;
let closedPort: number;
beforeAll(async () => {
  fake = await startFakeStripe({ apiKey: CANARY });
  const closed = await startFakeStripe();
  closedPort = closed.port;
  await closed.close();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** Every way a key reaches the client. */
const KEY_FORMS: Record<string, () => SecretInput> = {
  string: () => CANARY,
  Secret: () => secret(CANARY, { name: 'STRIPE_SECRET_KEY' }),
  source: () => cachedSource(async () => CANARY, { name: 'STRIPE_SECRET_KEY', clock: new FakeClock() }),
};

/** Every fault of the fake, each Stripe error code, and failures the fake cannot inject. */
const FAULTS: [string, Fault][] = [
  ...Object.keys(STRIPE_ERRORS).map((code): [string, Fault] => [code, { type: 'status', code }]),
  ['a 500', { type: 'status', status: 500 }],
  ['an HTML 502 from a gateway', { type: 'status', status: 502, body: '<html>Bad gateway</html>' }],
  ['reset', { type: 'reset' }],
  ['malformed-body', { type: 'malformed-body' }],
  ['applied-response-lost', { type: 'applied-response-lost' }],
  ['hang (attempt timeout)', { type: 'hang' }],
  ['latency past the attempt timeout', { type: 'latency', ms: 400 }],
];

/** Console output during a test, as text. */
function captureConsole(): () => string {
  const lines: string[] = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    vi.spyOn(console, method).mockImplementation(
      (...values: unknown[]) => void lines.push(format(...values)),
    );
  }
  return () => lines.join('\n');
}

/** Creates a customer once, without retries, with the key from `apiKey`; returns the error and the logs. */
async function failedCall(apiKey: SecretInput, options: { port?: number; signal?: AbortSignal } = {}) {
  const logs = captureConsole();
  const stripe = stripeFor({ port: options.port ?? fake.port }, { key: 'sk_test_instance_key_unused_00' });
  const client = createResilientStripe(stripe, quick({ apiKey, attemptTimeoutMs: 150, retry: false }));
  const { error } = await settle(client.customers.create({ name: 'Ada' }, { signal: options.signal }));
  return { error, logs: logs() };
}

function expectNoCanary(result: Awaited<ReturnType<typeof failedCall>>): void {
  expect(ResilientError.isInstance(result.error)).toBe(true);
  expect(findSecret(result.error, CANARY)).toEqual([]);
  expect(result.logs).not.toContain(CANARY);
}

describe('Stripe redaction canary: a key from the apiKey option never shows up', () => {
  for (const [form, apiKey] of Object.entries(KEY_FORMS)) {
    describe(`with the key as a ${form}`, () => {
      for (const [name, fault] of FAULTS) {
        it(`keeps it out of the error and the logs on ${name}`, async () => {
          fake.faults.enqueue(fault);
          expectNoCanary(await failedCall(apiKey()));
        });
      }

      it('keeps it out of a refused connection', async () => {
        const result = await failedCall(apiKey(), { port: closedPort });
        expect(result.error).toMatchObject({ kind: 'network', outcome: 'not-sent' });
        expectNoCanary(result);
      });

      it('keeps it out of a cancelled call', async () => {
        fake.faults.enqueue({ type: 'hang' });
        const controller = new AbortController();
        const pending = failedCall(apiKey(), { signal: controller.signal });
        setTimeout(() => controller.abort(new Error('caller gave up')), 20);
        const result = await pending;
        expect(result.error).toMatchObject({ kind: 'cancelled' });
        expectNoCanary(result);
      });
    });
  }

  it('keeps it out when Stripe refuses it (and the source gives it again)', async () => {
    const other = await startFakeStripe({ apiKey: 'sk_test_a_different_key_0000' });
    try {
      const result = await failedCall(KEY_FORMS.source!(), { port: other.port });
      expect(result.error).toMatchObject({ kind: 'auth', status: 401 });
      expect(other.requests).toHaveLength(1);
      expectNoCanary(result);
    } finally {
      await other.close();
    }
  });

  it('the canary does show up where the check looks, so the check can fail', () => {
    const leaky = new Error(`refused ${CANARY}`);
    expect(findSecret(leaky, CANARY)).not.toEqual([]);
    expect(findSecret({ requestOptions: { apiKey: CANARY } }, CANARY)).not.toEqual([]);
  });
});
