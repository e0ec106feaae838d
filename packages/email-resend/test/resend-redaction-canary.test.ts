import { format } from 'node:util';
import { ResilientError, resilient } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import type { EmailMessage } from '@resilient/email';
import {
  type AuthAlert,
  alertOnAuthFailures,
  cachedSource,
  type SecretInput,
  secret,
} from '@resilient/secrets';
import { type FakeResend, type Fault, findSecret, RESEND_ERRORS, startFakeResend } from '@resilient/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createResendProvider } from '../src/create-resend-provider';
import { simpleMessage } from './support';

/** A canary that matches no redaction pattern: only never keeping the key keeps it out. */
const CANARY = 'canary-7c1e9a2f-resend-key';

let fake: FakeResend;
let refusedUrl: string;
beforeAll(async () => {
  fake = await startFakeResend({ apiKey: CANARY });
  const closed = await startFakeResend();
  refusedUrl = closed.url;
  await closed.close();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** Every way a key reaches the adapter. */
const KEY_FORMS: Record<string, () => SecretInput> = {
  string: () => CANARY,
  Secret: () => secret(CANARY, { name: 'RESEND_API_KEY' }),
  source: () => cachedSource(async () => CANARY, { name: 'RESEND_API_KEY', clock: new FakeClock() }),
};

/** Every fault of the fake, each Resend error name, and failures the fake cannot inject. */
const FAULTS: [string, Fault][] = [
  ...Object.keys(RESEND_ERRORS).map((code): [string, Fault] => [code, { type: 'status', code }]),
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

/** Sends once through a standard pipeline with an alerting plugin; returns the error, alerts and logs. */
async function failedSend(
  apiKey: SecretInput,
  options: { baseUrl?: string; batch?: boolean; signal?: AbortSignal } = {},
) {
  const logs = captureConsole();
  const alerts: AuthAlert[] = [];
  const plugin = alertOnAuthFailures({
    sinks: [{ name: 'capture', send: (alert) => void alerts.push(alert) }],
  });
  const provider = createResendProvider({ apiKey, baseUrl: options.baseUrl ?? fake.url });
  const pipeline = resilient({
    service: 'resend',
    plugins: [plugin],
    attemptTimeoutMs: 150,
    totalTimeoutMs: 1_000,
    retry: false,
    circuitBreaker: false,
  });
  const messages: EmailMessage[] = [simpleMessage, simpleMessage];
  const error = await pipeline
    .execute(
      ({ signal, attempt }): Promise<unknown> => {
        const context = { signal, attempt, idempotencyKey: 'canary-send' };
        return options.batch ? provider.sendBatch!(messages, context) : provider.send(simpleMessage, context);
      },
      { signal: options.signal },
    )
    .then(
      () => undefined,
      (caught: unknown) => caught,
    );
  await plugin.flush();
  return { error, alerts, logs: logs() };
}

function expectNoCanary(result: Awaited<ReturnType<typeof failedSend>>): void {
  expect(ResilientError.isInstance(result.error)).toBe(true);
  expect(findSecret(result.error, CANARY)).toEqual([]);
  expect(result.logs).not.toContain(CANARY);
  expect(JSON.stringify(result.alerts)).not.toContain(CANARY);
}

describe('Resend redaction canary: the key never shows up', () => {
  for (const [form, apiKey] of Object.entries(KEY_FORMS)) {
    describe(`with the key as a ${form}`, () => {
      for (const [name, fault] of FAULTS) {
        it(`keeps it out of the error, the logs and the alerts on ${name}`, async () => {
          fake.faults.enqueue(fault);
          expectNoCanary(await failedSend(apiKey()));
        });
      }

      it('keeps it out of a batch send’s failure', async () => {
        fake.faults.enqueue({ type: 'status', status: 500 });
        expectNoCanary(await failedSend(apiKey(), { batch: true }));
      });

      it('keeps it out of a refused connection', async () => {
        const result = await failedSend(apiKey(), { baseUrl: refusedUrl });
        expect(result.error).toMatchObject({ kind: 'network', outcome: 'not-sent' });
        expectNoCanary(result);
      });

      it('keeps it out of a cancelled send', async () => {
        fake.faults.enqueue({ type: 'hang' });
        const controller = new AbortController();
        const pending = failedSend(apiKey(), { signal: controller.signal });
        setTimeout(() => controller.abort(new Error('caller gave up')), 20);
        const result = await pending;
        expect(result.error).toMatchObject({ kind: 'cancelled' });
        expectNoCanary(result);
      });
    });
  }

  it('keeps it out when Resend refuses it (and the source gives it again)', async () => {
    const other = await startFakeResend({ apiKey: 'a-different-key' });
    try {
      const result = await failedSend(KEY_FORMS.source!(), { baseUrl: other.url });
      expect(result.error).toMatchObject({ kind: 'auth', code: 'invalid_api_key' });
      expect(result.alerts).toHaveLength(1);
      expectNoCanary(result);
    } finally {
      await other.close();
    }
  });

  it('the canary does show up where the check looks, so the check can fail', () => {
    const leaky = new Error(`refused ${CANARY}`);
    expect(findSecret(leaky, CANARY)).not.toEqual([]);
    expect(format('%o', { headers: { authorization: CANARY } })).toContain(CANARY);
  });
});
