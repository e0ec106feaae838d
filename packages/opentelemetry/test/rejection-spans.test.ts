import { SpanStatusCode } from '@opentelemetry/api';
import { type ResilientOptions, resilient } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import { describe, expect, it } from 'vitest';
import { eventsOf, type TraceKit, traceKit } from './support/trace-kit';

const OPERATION = 'stripe charges.create';

function unavailable(): Error {
  return Object.assign(new Error('Service Unavailable'), { status: 503 });
}

/** `stripe` with a breaker that opens on the first failure for 5 s, no retries, on a fake clock. */
function guarded(kit: TraceKit, clock: FakeClock, options: Partial<ResilientOptions> = {}) {
  return resilient({
    service: 'stripe',
    operation: 'charges.create',
    clock,
    plugins: [kit.plugin],
    retry: false,
    circuitBreaker: { strategy: { type: 'consecutive', threshold: 1 }, breakDuration: 5_000 },
    ...options,
  });
}

describe('rejections and breaker changes', () => {
  it('gives a call refused by an open breaker an ERROR operation span with the rejection event', async () => {
    const kit = traceKit();
    const pipeline = guarded(kit, new FakeClock());
    await expect(pipeline.execute(() => Promise.reject(unavailable()))).rejects.toThrow();
    kit.exporter.reset();

    await expect(pipeline.execute(async () => 'never runs')).rejects.toMatchObject({ kind: 'circuit-open' });

    const operation = kit.only(OPERATION);
    expect(operation.status).toEqual({ code: SpanStatusCode.ERROR, message: 'circuit-open' });
    expect(operation.attributes).toMatchObject({
      'error.type': 'circuit-open',
      'resilient.outcome': 'failure',
      'resilient.attempt.count': 0,
      'resilient.breaker.state': 'open',
    });
    expect(kit.childrenOf(operation)).toEqual([]);
    expect(eventsOf(operation)).toEqual([
      {
        name: 'resilient.rejected',
        attributes: {
          'resilient.rejected_by': 'circuit-breaker',
          'resilient.error.kind': 'circuit-open',
          'resilient.error.retryable': false,
          'resilient.error.outcome': 'not-sent',
          'resilient.error.retry_after_ms': 5_000,
          'resilient.breaker.name': 'stripe',
          'resilient.breaker.state': 'open',
        },
      },
    ]);
  });

  it('records the change that opened the breaker on the operation that caused it', async () => {
    const kit = traceKit();
    await expect(
      guarded(kit, new FakeClock()).execute(() => Promise.reject(unavailable())),
    ).rejects.toThrow();

    const operation = kit.only(OPERATION);
    expect(operation.attributes['resilient.breaker.state']).toBe('open');
    expect(eventsOf(operation)).toEqual([
      {
        name: 'resilient.breaker.state_change',
        attributes: {
          'resilient.breaker.name': 'stripe',
          'resilient.breaker.previous_state': 'closed',
          'resilient.breaker.state': 'open',
        },
      },
    ]);
  });

  it('marks the probe attempt half-open and records the breaker closing again', async () => {
    const kit = traceKit();
    const clock = new FakeClock();
    const pipeline = guarded(kit, clock);
    await expect(pipeline.execute(() => Promise.reject(unavailable()))).rejects.toThrow();
    await clock.advance(5_000);
    kit.exporter.reset();

    expect(await pipeline.execute(async () => 'ch_1')).toBe('ch_1');

    const operation = kit.only(OPERATION);
    expect(eventsOf(operation).map((event) => event.attributes?.['resilient.breaker.state'])).toEqual([
      'half-open',
      'closed',
    ]);
    expect(operation.attributes['resilient.breaker.state']).toBe('closed');
    const [probe] = kit.childrenOf(operation);
    expect(probe!.attributes['resilient.breaker.state']).toBe('half-open');
  });

  it('reports an isolated breaker on the calls it refuses', async () => {
    const kit = traceKit();
    const pipeline = guarded(kit, new FakeClock());
    pipeline.breaker!.isolate();

    await expect(pipeline.execute(async () => 'never runs')).rejects.toMatchObject({ kind: 'circuit-open' });

    const operation = kit.only(OPERATION);
    expect(operation.attributes['resilient.breaker.state']).toBe('isolated');
    expect(eventsOf(operation)[0]?.attributes?.['resilient.breaker.state']).toBe('isolated');
  });

  it('records a bulkhead rejection on an ERROR operation span', async () => {
    const kit = traceKit();
    const pipeline = guarded(kit, new FakeClock(), { bulkhead: { maxConcurrent: 1, maxQueue: 0 } });
    let release: (value: string) => void = () => {};
    const first = pipeline.execute(() => new Promise<string>((resolve) => (release = resolve)));

    await expect(pipeline.execute(async () => 'never runs')).rejects.toMatchObject({
      kind: 'bulkhead-rejected',
    });
    release('done');
    await first;

    const [rejected] = kit.spans().filter((span) => span.status.code === SpanStatusCode.ERROR);
    expect(rejected!.name).toBe(OPERATION);
    expect(rejected!.attributes).toMatchObject({
      'error.type': 'bulkhead-rejected',
      'resilient.attempt.count': 0,
    });
    expect(eventsOf(rejected!)).toEqual([
      {
        name: 'resilient.rejected',
        attributes: {
          'resilient.rejected_by': 'bulkhead',
          'resilient.error.kind': 'bulkhead-rejected',
          'resilient.error.retryable': false,
          'resilient.error.outcome': 'not-sent',
        },
      },
    ]);
  });

  it('records a rate limiter rejection with the wait it asked for', async () => {
    const kit = traceKit();
    const pipeline = guarded(kit, new FakeClock(), { rateLimit: { limit: 1, intervalMs: 1_000 } });
    await pipeline.execute(async () => 'first');
    kit.exporter.reset();

    await expect(pipeline.execute(async () => 'never runs')).rejects.toMatchObject({
      kind: 'rate-limiter-rejected',
    });

    const operation = kit.only(OPERATION);
    expect(operation.attributes['error.type']).toBe('rate-limiter-rejected');
    expect(eventsOf(operation)[0]).toMatchObject({
      name: 'resilient.rejected',
      attributes: { 'resilient.rejected_by': 'rate-limiter', 'resilient.error.retry_after_ms': 1_000 },
    });
  });
});
