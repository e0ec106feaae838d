import { metrics } from '@opentelemetry/api';
import type { DataPoint, Histogram } from '@opentelemetry/sdk-metrics';
import { constantBackoff, resilient } from '@resilient/core';
import { FakeClock, memoryCircuitFleet } from '@resilient/core/testing';
import { METRICS, type OpenTelemetryPlugin, openTelemetryPlugin } from '@resilient/opentelemetry';
import { afterEach, describe, expect, it } from 'vitest';
import { histogramPoints, type MetricKit, metric, metricKit, numberPoints } from './support/metric-kit';

const kits: MetricKit[] = [];

afterEach(async () => {
  metrics.disable();
  await Promise.all(kits.splice(0).map((kit) => kit.shutdown()));
});

function newKit(): MetricKit {
  const kit = metricKit();
  kits.push(kit);
  return kit;
}

function unavailable(): Error {
  return Object.assign(new Error('Service Unavailable'), { status: 503 });
}

/** `stripe` on a fake clock: 3 attempts 2 s apart, no breaker. */
function stripe(plugin: OpenTelemetryPlugin, clock: FakeClock) {
  return resilient({
    service: 'stripe',
    operation: 'customers.create',
    clock,
    plugins: [plugin],
    retry: { maxAttempts: 3, backoff: constantBackoff(2_000), budget: false },
    circuitBreaker: false,
  });
}

/** `stripe` on a fake clock: no retries, a breaker opening on the first failure for 5 s. */
function guarded(plugin: OpenTelemetryPlugin, clock: FakeClock) {
  return resilient({
    service: 'stripe',
    operation: 'customers.create',
    clock,
    plugins: [plugin],
    retry: false,
    circuitBreaker: { strategy: { type: 'consecutive', threshold: 1 }, breakDuration: 5_000 },
  });
}

/** An attempt that takes 250 ms on `clock` and fails with 503 the first `failures` times. */
function slowFlaky(clock: FakeClock, failures: number) {
  let calls = 0;
  return () =>
    new Promise<string>((resolve, reject) => {
      const fail = calls++ < failures;
      clock.setTimeout(() => (fail ? reject(unavailable()) : resolve('cus_123')), 250);
    });
}

const OPERATION = { 'resilient.service': 'stripe', 'resilient.operation': 'customers.create' };

describe('metrics', () => {
  it('records attempt and operation durations in seconds, and attempts per operation', async () => {
    const kit = newKit();
    const clock = new FakeClock();
    const plugin = openTelemetryPlugin({ meterProvider: kit.provider });
    const pending = stripe(plugin, clock).execute(slowFlaky(clock, 2));
    await clock.advance(3 * 250 + 2 * 2_000);
    await pending;

    const collected = await kit.collect();
    const attempts = metric(collected, METRICS.attemptDuration);
    expect(attempts.descriptor.unit).toBe('s');
    expect(histogramPoints(attempts)).toEqual([
      {
        attributes: {
          ...OPERATION,
          'resilient.attempt.number': 1,
          'resilient.outcome': 'failure',
          'error.type': 'unavailable',
        },
        count: 1,
        sum: 0.25,
      },
      {
        attributes: {
          ...OPERATION,
          'resilient.attempt.number': 2,
          'resilient.outcome': 'failure',
          'error.type': 'unavailable',
        },
        count: 1,
        sum: 0.25,
      },
      {
        attributes: { ...OPERATION, 'resilient.attempt.number': 3, 'resilient.outcome': 'success' },
        count: 1,
        sum: 0.25,
      },
    ]);
    const boundaries = (attempts.dataPoints[0] as DataPoint<Histogram>).value.buckets.boundaries;
    expect(boundaries.slice(0, 3)).toEqual([0.005, 0.01, 0.025]);

    const operations = metric(collected, METRICS.operationDuration);
    expect(operations.descriptor.unit).toBe('s');
    expect(histogramPoints(operations)).toEqual([
      { attributes: { ...OPERATION, 'resilient.outcome': 'success' }, count: 1, sum: 4.75 },
    ]);
    const perOperation = metric(collected, METRICS.operationAttempts);
    expect(perOperation.descriptor.unit).toBe('{attempt}');
    expect(histogramPoints(perOperation)).toEqual([
      { attributes: { ...OPERATION, 'resilient.outcome': 'success' }, count: 1, sum: 3 },
    ]);
    expect(numberPoints(metric(collected, METRICS.events))).toEqual([
      {
        attributes: { ...OPERATION, 'event.name': 'retry', 'resilient.error.kind': 'unavailable' },
        value: 2,
      },
    ]);
  });

  it('reports each breaker state as 1 for the current state and 0 for the others', async () => {
    const kit = newKit();
    const clock = new FakeClock();
    const pipeline = guarded(openTelemetryPlugin({ meterProvider: kit.provider }), clock);
    await expect(pipeline.execute(() => Promise.reject(unavailable()))).rejects.toThrow();

    const gauge = metric(await kit.collect(), METRICS.breakerState);
    expect(gauge.descriptor.unit).toBe('{state}');
    expect(numberPoints(gauge)).toEqual([
      { attributes: { 'resilient.breaker.name': 'stripe', 'resilient.breaker.state': 'closed' }, value: 0 },
      { attributes: { 'resilient.breaker.name': 'stripe', 'resilient.breaker.state': 'open' }, value: 1 },
      {
        attributes: { 'resilient.breaker.name': 'stripe', 'resilient.breaker.state': 'half-open' },
        value: 0,
      },
      { attributes: { 'resilient.breaker.name': 'stripe', 'resilient.breaker.state': 'isolated' }, value: 0 },
    ]);

    await clock.advance(5_000);
    await pipeline.execute(async () => 'probe');
    const after = numberPoints(metric(await kit.collect(), METRICS.breakerState));
    expect(after.filter((point) => point.value === 1).map((point) => point.attributes)).toEqual([
      { 'resilient.breaker.name': 'stripe', 'resilient.breaker.state': 'closed' },
    ]);
  });

  it("follows a breaker's state when another process of its fleet changes it", async () => {
    const kit = newKit();
    const clock = new FakeClock();
    const fleet = memoryCircuitFleet({ clock });
    const options = {
      service: 'stripe',
      clock,
      retry: false,
      circuitBreaker: { strategy: { type: 'consecutive', threshold: 1 }, breakDuration: 5_000, fleet },
    } as const;
    const elsewhere = resilient(options); // another process: no plugin of ours
    resilient({ ...options, plugins: [openTelemetryPlugin({ meterProvider: kit.provider })] });
    await expect(elsewhere.execute(() => Promise.reject(unavailable()))).rejects.toThrow();
    await clock.flush();
    const points = numberPoints(metric(await kit.collect(), METRICS.breakerState));
    expect(points.filter((point) => point.value === 1).map((point) => point.attributes)).toEqual([
      { 'resilient.breaker.name': 'stripe', 'resilient.breaker.state': 'open' },
    ]);
  });

  it('counts breaker transitions, rejections and fallbacks by event.name', async () => {
    const kit = newKit();
    const clock = new FakeClock();
    const plugin = openTelemetryPlugin({ meterProvider: kit.provider });
    const pipeline = resilient({
      service: 'stripe',
      operation: 'customers.create',
      clock,
      plugins: [plugin],
      retry: false,
      circuitBreaker: { strategy: { type: 'consecutive', threshold: 1 }, breakDuration: 5_000 },
      fallback: { value: 'cached' },
    });
    await pipeline.execute(() => Promise.reject(unavailable()));
    await pipeline.execute(async () => 'never runs');

    const counts = numberPoints(metric(await kit.collect(), METRICS.events)).map((point) => [
      point.attributes['event.name'],
      point.attributes['resilient.breaker.name'],
      point.attributes['resilient.error.kind'],
      point.value,
    ]);
    expect(counts).toEqual([
      ['breaker_opened', 'stripe', undefined, 1],
      ['fallback', undefined, 'unavailable', 1],
      ['breaker_rejected', 'stripe', 'circuit-open', 1],
      ['fallback', undefined, 'circuit-open', 1],
    ]);
  });

  it('records no metrics unless asked to', async () => {
    const kit = newKit();
    metrics.setGlobalMeterProvider(kit.provider);
    await stripe(openTelemetryPlugin(), new FakeClock()).execute(async () => 'ok');

    expect(await kit.collect()).toEqual([]);
  });

  it('finds a global meter provider registered after the plugin was built', async () => {
    const plugin = openTelemetryPlugin({ metrics: true });
    const clock = new FakeClock();
    await stripe(plugin, clock).execute(async () => 'before the SDK');
    const kit = newKit();
    metrics.setGlobalMeterProvider(kit.provider);

    await stripe(plugin, clock).execute(async () => 'after the SDK');

    expect(histogramPoints(metric(await kit.collect(), METRICS.operationDuration))).toEqual([
      { attributes: { ...OPERATION, 'resilient.outcome': 'success' }, count: 1, sum: 0 },
    ]);
  });

  it('records a cancelled operation without error.type', async () => {
    const kit = newKit();
    const controller = new AbortController();
    const pending = stripe(openTelemetryPlugin({ meterProvider: kit.provider }), new FakeClock()).execute(
      () => new Promise<never>(() => {}),
      { signal: controller.signal },
    );
    controller.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });

    const points = histogramPoints(metric(await kit.collect(), METRICS.operationDuration));
    expect(points.map((point) => point.attributes)).toEqual([
      { ...OPERATION, 'resilient.outcome': 'cancelled' },
    ]);
  });
});
