import { readFileSync } from 'node:fs';
import { context, propagation, trace } from '@opentelemetry/api';
import { constantBackoff, registeredPlugins, resilient } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeSpans } from './support/otlp-decode';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver';

let receiver: OtlpReceiver;
const saved = { ...process.env };

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // What a deployment sets; Jaeger would listen on http://localhost:4318.
  process.env.OTEL_SERVICE_NAME = 'checkout-api';
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.endpoint;
});

afterAll(async () => {
  process.env = saved;
  trace.disable();
  context.disable();
  propagation.disable();
  await receiver.close();
});

it('shows the set-up file of the README as it is in examples/tracing.ts', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('../examples/tracing.ts', import.meta.url), 'utf8');
  expect(readme).toContain(example);
});

it('sends the spans of a retried call to the OTLP endpoint under OTEL_SERVICE_NAME', async () => {
  const { tracerProvider } = await import('../examples/tracing');
  expect(registeredPlugins().map((plugin) => plugin.name)).toContain('@resilient/opentelemetry');
  const clock = new FakeClock();
  let calls = 0;
  const stripe = resilient({
    service: 'stripe',
    clock,
    retry: { maxAttempts: 2, backoff: constantBackoff(1_000) },
    circuitBreaker: false,
  });

  const pending = stripe.execute(
    async () => {
      if (calls++ === 0) throw Object.assign(new Error('Too Many Requests'), { status: 429 });
      return 'cus_123';
    },
    { operation: 'customers.create' },
  );
  await clock.advance(1_000);
  expect(await pending).toBe('cus_123');
  await tracerProvider.shutdown();

  const spans = receiver.requests.flatMap(decodeSpans);
  expect(receiver.requests.map((request) => request.path)).toContain('/v1/traces');
  expect(spans.map((span) => [span.serviceName, span.name])).toEqual([
    ['checkout-api', 'stripe customers.create attempt'],
    ['checkout-api', 'stripe customers.create attempt'],
    ['checkout-api', 'stripe customers.create'],
  ]);
});
