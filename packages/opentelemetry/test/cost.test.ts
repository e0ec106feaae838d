import { INVALID_SPAN_CONTEXT, type Tracer, type TracerProvider, trace } from '@opentelemetry/api';
import { constantBackoff, resilient } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import { openTelemetryPlugin } from '@resilient/opentelemetry';
import { expect, it } from 'vitest';

it('starts one span per operation and no attempt spans when the SDK does not record', async () => {
  const started: string[] = [];
  // What the API gives with no SDK, or an SDK sampling the call out: spans that record nothing.
  const tracer = {
    startSpan: (name: string) => {
      started.push(name);
      return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    },
  } as unknown as Tracer;
  const provider: TracerProvider = { getTracer: () => tracer };
  const clock = new FakeClock();
  let calls = 0;
  const stripe = resilient({
    service: 'stripe',
    clock,
    plugins: [openTelemetryPlugin({ tracerProvider: provider })],
    retry: { maxAttempts: 3, backoff: constantBackoff(10), budget: false },
    circuitBreaker: false,
  });

  const pending = stripe.execute(async () => {
    if (calls++ === 0) throw Object.assign(new Error('unavailable'), { status: 503 });
    return 'ok';
  });
  await clock.advance(10);

  expect(await pending).toBe('ok');
  expect(calls).toBe(2);
  expect(started).toEqual(['stripe execute']);
});
