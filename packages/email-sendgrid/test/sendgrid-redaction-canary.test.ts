import { format } from 'node:util';
import { ResilientError, resilient } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import {
  type AuthAlert,
  alertOnAuthFailures,
  cachedSource,
  type SecretInput,
  secret,
} from '@resilient/secrets';
import {
  type FakeSendGrid,
  type Fault,
  findSecret,
  SENDGRID_ERROR_MESSAGES,
  startFakeSendGrid,
} from '@resilient/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSendGridProvider } from '../src/create-sendgrid-provider';
import { simpleMessage } from './support';

/** A canary that matches no redaction pattern: only never keeping the key keeps it out. */
const CANARY = 'canary-4d8b2e6f-sendgrid-key';

let fake: FakeSendGrid;
let refusedUrl: string;
beforeAll(async () => {
  fake = await startFakeSendGrid({ apiKey: CANARY });
  const closed = await startFakeSendGrid();
  refusedUrl = closed.url;
  await closed.close();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const KEY_FORMS: Record<string, () => SecretInput> = {
  string: () => CANARY,
  Secret: () => secret(CANARY, { name: 'SENDGRID_API_KEY' }),
  source: () => cachedSource(async () => CANARY, { name: 'SENDGRID_API_KEY', clock: new FakeClock() }),
};

/** Every fault of the fake, each status it knows, and failures the fake cannot inject. */
const FAULTS: [string, Fault][] = [
  ...Object.keys(SENDGRID_ERROR_MESSAGES).map((status): [string, Fault] => [
    `HTTP ${status}`,
    { type: 'status', status: Number(status) },
  ]),
  ['401 maximum credits exceeded', { type: 'status', status: 401, message: 'Maximum credits exceeded' }],
  ['an HTML 502 from a gateway', { type: 'status', status: 502, body: '<html>Bad gateway</html>' }],
  ['reset', { type: 'reset' }],
  ['applied-response-lost', { type: 'applied-response-lost' }],
  ['hang (the client timeout)', { type: 'hang' }],
  ['latency past the attempt timeout', { type: 'latency', ms: 400 }],
];

function captureConsole(): () => string {
  const lines: string[] = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    vi.spyOn(console, method).mockImplementation(
      (...values: unknown[]) => void lines.push(format(...values)),
    );
  }
  return () => lines.join('\n');
}

async function failedSend(
  apiKey: SecretInput,
  options: { baseUrl?: string; signal?: AbortSignal; timeoutMs?: number } = {},
) {
  const logs = captureConsole();
  const alerts: AuthAlert[] = [];
  const plugin = alertOnAuthFailures({
    sinks: [{ name: 'capture', send: (alert) => void alerts.push(alert) }],
  });
  const provider = createSendGridProvider({
    apiKey,
    baseUrl: options.baseUrl ?? fake.url,
    timeoutMs: options.timeoutMs ?? 100,
  });
  const pipeline = resilient({
    service: 'sendgrid',
    plugins: [plugin],
    attemptTimeoutMs: 200,
    totalTimeoutMs: 1_000,
    retry: false,
    circuitBreaker: false,
  });
  const error = await pipeline
    .execute(
      ({ signal, attempt }) => provider.send(simpleMessage, { signal, attempt, idempotencyKey: 'canary' }),
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

describe('SendGrid redaction canary: the key never shows up', () => {
  for (const [form, apiKey] of Object.entries(KEY_FORMS)) {
    describe(`with the key as a ${form}`, () => {
      for (const [name, fault] of FAULTS) {
        it(`keeps it out of the error, the logs and the alerts on ${name}`, async () => {
          fake.faults.enqueue(fault);
          expectNoCanary(await failedSend(apiKey()));
        });
      }

      it('logs nothing with it on a malformed 2xx body, which SendGrid’s client takes as sent', async () => {
        fake.faults.enqueue({ type: 'malformed-body' });
        const result = await failedSend(apiKey());
        expect(result.error).toBeUndefined();
        expect(result.logs).not.toContain(CANARY);
      });

      it('keeps it out of the pipeline’s attempt timeout', async () => {
        fake.faults.enqueue({ type: 'hang' });
        const result = await failedSend(apiKey(), { timeoutMs: 5_000 });
        expect(result.error).toMatchObject({ kind: 'timeout' });
        expectNoCanary(result);
      });

      it('keeps it out of a refused connection', async () => {
        const result = await failedSend(apiKey(), { baseUrl: refusedUrl });
        expect(result.error).toMatchObject({ kind: 'network', outcome: 'not-sent' });
        expectNoCanary(result);
      });

      it('keeps it out of a cancelled send', async () => {
        fake.faults.enqueue({ type: 'hang' });
        const controller = new AbortController();
        const pending = failedSend(apiKey(), { signal: controller.signal, timeoutMs: 5_000 });
        setTimeout(() => controller.abort(new Error('caller gave up')), 20);
        const result = await pending;
        expect(result.error).toMatchObject({ kind: 'cancelled' });
        expectNoCanary(result);
      });
    });
  }

  it('keeps it out when SendGrid refuses it (and the source gives it again)', async () => {
    const other = await startFakeSendGrid({ apiKey: 'SG.a-different.key' });
    try {
      const result = await failedSend(KEY_FORMS.source!(), { baseUrl: other.url });
      expect(result.error).toMatchObject({ kind: 'auth', status: 401 });
      expect(result.alerts).toHaveLength(1);
      expectNoCanary(result);
    } finally {
      await other.close();
    }
  });
});
