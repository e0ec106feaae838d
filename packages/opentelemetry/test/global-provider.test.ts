import { trace } from '@opentelemetry/api';
import { registerPlugin, resilient } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import { openTelemetryPlugin } from '@resilient/opentelemetry';
import { afterEach, expect, it } from 'vitest';
import { traceKit } from './support/trace-kit';

afterEach(() => {
  trace.disable();
});

it('runs calls untraced while no SDK is registered, and traces them once one is', async () => {
  const unregister = registerPlugin(openTelemetryPlugin());
  try {
    const stripe = resilient({ service: 'stripe', clock: new FakeClock(), circuitBreaker: false });
    expect(await stripe.execute(async () => 'before', { operation: 'before.sdk' })).toBe('before');

    const kit = traceKit();
    trace.setGlobalTracerProvider(kit.provider);
    expect(await stripe.execute(async () => 'after', { operation: 'after.sdk' })).toBe('after');

    expect(kit.spans().map((span) => span.name)).toEqual(['stripe after.sdk attempt', 'stripe after.sdk']);
  } finally {
    unregister();
  }
});
