import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { constantBackoff, resilient } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import type { EmailMessage } from '@resilient/email';
import { createResendProvider } from '@resilient/email-resend';
import { cachedSource, type SecretInput } from '@resilient/secrets';
import { type FakeResend, type Fault, startFakeResend } from '@resilient/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type TraceKit, traceKit } from './support/trace-kit';

/** A canary that matches no redaction pattern: only never keeping the key keeps it out. */
const CANARY = 'canary-5e2d8b41-otel-resend-key';

const message: EmailMessage = { from: 'hello@example.com', to: 'ada@example.com', subject: 'Hi', text: 'Hi' };

let fake: FakeResend;
beforeAll(async () => {
  fake = await startFakeResend({ apiKey: CANARY });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** Every way a key reaches the adapter. */
const KEY_FORMS: Record<string, () => SecretInput> = {
  string: () => CANARY,
  source: () => cachedSource(async () => CANARY, { name: 'RESEND_API_KEY', clock: new FakeClock() }),
};

/** The failure paths: each fault is given to both attempts, so retries and their events are traced too. */
const FAILURES: [string, Fault, string][] = [
  ['auth (invalid_api_key)', { type: 'status', code: 'invalid_api_key' }, 'auth'],
  ['429', { type: 'status', status: 429, retryAfterSeconds: 0 }, 'rate-limit'],
  ['500', { type: 'status', status: 500 }, 'server'],
  ['reset', { type: 'reset' }, 'network'],
  ['hang (attempt timeout)', { type: 'hang' }, 'timeout'],
];

/** Everything a span exports that is text: name, attributes, events, links, status and resource. */
function exported(spans: readonly ReadableSpan[]): string {
  return JSON.stringify(
    spans.map((span) => ({
      name: span.name,
      attributes: span.attributes,
      events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
      links: span.links.map((link) => link.attributes),
      status: span.status,
      resource: span.resource.attributes,
    })),
  );
}

/** Sends once through a traced pipeline (two attempts, no waits); returns the error. */
async function tracedSend(kit: TraceKit, apiKey: SecretInput): Promise<unknown> {
  const provider = createResendProvider({ apiKey, baseUrl: fake.url });
  const pipeline = resilient({
    service: 'resend',
    plugins: [kit.plugin],
    attemptTimeoutMs: 150,
    totalTimeoutMs: 2_000,
    retry: { maxAttempts: 2, backoff: constantBackoff(0), budget: false },
    circuitBreaker: false,
  });
  return pipeline
    .execute(
      ({ signal, attempt }) =>
        provider.send(message, { signal, attempt, idempotencyKey: 'otel-canary-send' }),
      { operation: 'email.send', idempotencyKey: 'otel-canary-send' },
    )
    .then(
      () => undefined,
      (caught: unknown) => caught,
    );
}

describe('the Resend adapter under the OpenTelemetry plugin: the key is in no span', () => {
  for (const [form, apiKey] of Object.entries(KEY_FORMS)) {
    for (const [name, fault, kind] of FAILURES) {
      it(`keeps a key given as a ${form} out of spans, events, statuses and the resource on ${name}`, async () => {
        const kit = traceKit();
        fake.faults.repeat(fault, 2);
        const error = await tracedSend(kit, apiKey());
        expect(error).toMatchObject({ kind });
        const spans = kit.spans();
        expect(spans.length).toBeGreaterThan(0);
        expect(spans.some((span) => span.status.code === 2)).toBe(true);
        expect(exported(spans)).not.toContain(CANARY);
      });
    }
  }

  it('the canary does show up where the check looks, so the check can fail', () => {
    const kit = traceKit();
    const span = kit.provider.getTracer('control').startSpan('leak', { attributes: { key: CANARY } });
    span.addEvent('event', { header: `Bearer ${CANARY}` });
    span.setStatus({ code: 2, message: CANARY });
    span.end();
    expect(exported(kit.spans())).toContain(CANARY);
  });
});
