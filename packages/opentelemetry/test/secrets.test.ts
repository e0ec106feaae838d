import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { constantBackoff, resilient } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import { expect, it } from 'vitest';
import { type TraceKit, traceKit } from './support/trace-kit';

const API_KEY = 'sk_test_CanaryKey0a1b2c3d4e5f';
const OPAQUE_SECRET = 'opaque-canary-secret-5d71aa';

function leakyError(status: number): Error {
  return Object.assign(new Error(`key ${API_KEY} refused; ${OPAQUE_SECRET}`), {
    status,
    code: 'api_key_expired',
    requestId: `req_9 ${API_KEY}`,
    headers: { authorization: `Bearer ${API_KEY}` },
    cause: new Error(OPAQUE_SECRET),
  });
}

/** Everything a span exports that is text: name, attributes, events and status. */
function exported(spans: ReadableSpan[]): string {
  return JSON.stringify(
    spans.map((span) => ({
      name: span.name,
      attributes: span.attributes,
      events: span.events,
      status: span.status,
    })),
  );
}

function pipeline(kit: TraceKit, clock: FakeClock) {
  return resilient({
    service: 'stripe',
    clock,
    plugins: [kit.plugin],
    retry: { maxAttempts: 2, backoff: constantBackoff(100), budget: false },
    circuitBreaker: { strategy: { type: 'consecutive', threshold: 2 }, breakDuration: 1_000 },
  });
}

it('keeps an API key out of every attribute, event and status message', async () => {
  const kit = traceKit();
  const clock = new FakeClock();
  const stripe = pipeline(kit, clock);

  // Retried, then failed: the breaker opens on the second failure.
  const failed = stripe.execute(() => Promise.reject(leakyError(503))).catch((error: unknown) => error);
  await clock.advance(100);
  expect(await failed).toMatchObject({ kind: 'unavailable' });
  // Refused by the open breaker.
  await expect(stripe.execute(async () => 'never runs')).rejects.toMatchObject({ kind: 'circuit-open' });
  // Cancelled by a caller whose abort reason quotes the key.
  await clock.advance(1_000);
  const controller = new AbortController();
  const cancelled = stripe.execute(() => new Promise<never>(() => {}), { signal: controller.signal });
  controller.abort(new Error(`aborted with ${API_KEY} ${OPAQUE_SECRET}`));
  await expect(cancelled).rejects.toMatchObject({ kind: 'cancelled' });
  // A fallback replacing a leaky error.
  const withFallback = resilient({
    service: 'stripe',
    clock,
    plugins: [kit.plugin],
    retry: false,
    circuitBreaker: false,
    fallback: { value: 'cached' },
  });
  expect(await withFallback.execute(() => Promise.reject(leakyError(500)))).toBe('cached');

  const text = exported(kit.spans());
  expect(kit.spans()).toHaveLength(8);
  expect(text).toContain('api_key_expired');
  expect(text).toContain('req_9 [redacted]');
  expect(text).not.toContain(API_KEY);
  expect(text).not.toContain(OPAQUE_SECRET);
});
