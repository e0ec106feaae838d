import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { constantBackoff, type ResilientOptions, resilient, retry } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import { INSTRUMENTATION_SCOPE } from '@resilient/opentelemetry';
import { describe, expect, it } from 'vitest';
import { eventsOf, type TraceKit, traceKit } from './support/trace-kit';

const OPERATION = 'stripe customers.create';
const ATTEMPT = 'stripe customers.create attempt';

/** What a provider SDK throws for an HTTP error. */
function httpError(status: number): Error {
  return Object.assign(new Error(`Request failed with status ${status}`), { status });
}

/** The standard pipeline for `stripe`, reporting to the kit, on a fake clock, 2 s between attempts. */
function stripePipeline(kit: TraceKit, clock: FakeClock, options: Partial<ResilientOptions> = {}) {
  return resilient({
    service: 'stripe',
    operation: 'customers.create',
    clock,
    plugins: [kit.plugin],
    retry: { maxAttempts: 3, backoff: constantBackoff(2_000), budget: false },
    circuitBreaker: false,
    ...options,
  });
}

/** A function that fails with the given statuses in turn, then returns `result`. */
function failing(statuses: number[], result = 'cus_123') {
  let calls = 0;
  return async () => {
    const status = statuses[calls++];
    if (status !== undefined) throw httpError(status);
    return result;
  };
}

describe('span tree', () => {
  it('records a successful call as an operation span with one attempt child', async () => {
    const kit = traceKit();
    const result = await stripePipeline(kit, new FakeClock()).execute(failing([]));

    expect(result).toBe('cus_123');
    const operation = kit.only(OPERATION);
    expect(operation.kind).toBe(SpanKind.INTERNAL);
    expect(operation.parentSpanContext).toBeUndefined();
    expect(operation.status.code).toBe(SpanStatusCode.UNSET);
    expect(operation.instrumentationScope).toMatchObject(INSTRUMENTATION_SCOPE);
    expect(operation.attributes).toEqual({
      'resilient.service': 'stripe',
      'resilient.operation': 'customers.create',
      'resilient.attempt.count': 1,
      'resilient.outcome': 'success',
    });
    const [attempt, ...others] = kit.childrenOf(operation);
    expect(others).toEqual([]);
    expect(attempt!.name).toBe(ATTEMPT);
    expect(attempt!.kind).toBe(SpanKind.INTERNAL);
    expect(attempt!.spanContext().traceId).toBe(operation.spanContext().traceId);
    expect(attempt!.status.code).toBe(SpanStatusCode.UNSET);
    expect(attempt!.attributes).toEqual({
      'resilient.service': 'stripe',
      'resilient.operation': 'customers.create',
      'resilient.attempt.number': 1,
      'resilient.attempt.delay_ms': 0,
      'resilient.outcome': 'success',
    });
  });

  it('marks failed attempts but not the operation when a retry recovers', async () => {
    const kit = traceKit();
    const clock = new FakeClock();
    const pending = stripePipeline(kit, clock).execute(failing([503, 503]));
    await clock.advance(4_000);
    expect(await pending).toBe('cus_123');

    const operation = kit.only(OPERATION);
    expect(operation.status.code).toBe(SpanStatusCode.UNSET);
    expect(operation.attributes['error.type']).toBeUndefined();
    expect(operation.attributes).toMatchObject({
      'resilient.outcome': 'success',
      'resilient.attempt.count': 3,
    });
    const attempts = kit.childrenOf(operation);
    expect(attempts.map((span) => span.name)).toEqual([ATTEMPT, ATTEMPT, ATTEMPT]);
    expect(attempts.map((span) => span.status.code)).toEqual([
      SpanStatusCode.ERROR,
      SpanStatusCode.ERROR,
      SpanStatusCode.UNSET,
    ]);
    expect(attempts.map((span) => span.attributes['resilient.attempt.number'])).toEqual([1, 2, 3]);
    expect(attempts.map((span) => span.attributes['resilient.attempt.delay_ms'])).toEqual([0, 2_000, 2_000]);
    expect(attempts[0]!.status.message).toBe('unavailable');
    expect(attempts[0]!.attributes).toMatchObject({
      'error.type': 'unavailable',
      'resilient.outcome': 'failure',
      'resilient.error.kind': 'unavailable',
      'resilient.error.retryable': true,
      'resilient.error.outcome': 'failed',
      'resilient.error.status': 503,
    });
    expect(eventsOf(operation)).toEqual([
      {
        name: 'resilient.retry',
        attributes: {
          'resilient.attempt.number': 1,
          'resilient.retry.delay_ms': 2_000,
          'resilient.error.kind': 'unavailable',
        },
      },
      {
        name: 'resilient.retry',
        attributes: {
          'resilient.attempt.number': 2,
          'resilient.retry.delay_ms': 2_000,
          'resilient.error.kind': 'unavailable',
        },
      },
    ]);
  });

  it('marks the operation ERROR with error.type when the last attempt fails', async () => {
    const kit = traceKit();
    const clock = new FakeClock();
    const pending = stripePipeline(kit, clock).execute(failing([503, 503, 503]));
    const settled = pending.catch((error: unknown) => error);
    await clock.advance(4_000);
    expect(await settled).toMatchObject({ kind: 'unavailable', attempts: 3 });

    const operation = kit.only(OPERATION);
    expect(operation.status).toEqual({ code: SpanStatusCode.ERROR, message: 'unavailable' });
    expect(operation.attributes).toMatchObject({
      'error.type': 'unavailable',
      'resilient.outcome': 'failure',
      'resilient.attempt.count': 3,
      'resilient.error.kind': 'unavailable',
      'resilient.error.status': 503,
    });
    expect(kit.childrenOf(operation).map((span) => span.status.code)).toEqual([
      SpanStatusCode.ERROR,
      SpanStatusCode.ERROR,
      SpanStatusCode.ERROR,
    ]);
    expect(eventsOf(operation).map((event) => event.name)).toEqual(['resilient.retry', 'resilient.retry']);
  });

  it('keeps the operation span UNSET when a fallback replaces the error', async () => {
    const kit = traceKit();
    const pipeline = stripePipeline(kit, new FakeClock(), {
      retry: false,
      fallback: { value: 'cus_cached' },
    });
    expect(await pipeline.execute(failing([503]))).toBe('cus_cached');

    const operation = kit.only(OPERATION);
    expect(operation.status.code).toBe(SpanStatusCode.UNSET);
    expect(operation.attributes['error.type']).toBeUndefined();
    expect(operation.attributes['resilient.outcome']).toBe('fallback');
    expect(eventsOf(operation)).toEqual([
      {
        name: 'resilient.fallback',
        attributes: {
          'resilient.error.kind': 'unavailable',
          'resilient.error.retryable': true,
          'resilient.error.outcome': 'failed',
          'resilient.error.status': 503,
        },
      },
    ]);
    expect(kit.childrenOf(operation).map((span) => span.status.code)).toEqual([SpanStatusCode.ERROR]);
  });

  it('does not mark a caller cancellation as an error', async () => {
    const kit = traceKit();
    const controller = new AbortController();
    const pending = stripePipeline(kit, new FakeClock()).execute(() => new Promise<never>(() => {}), {
      signal: controller.signal,
    });
    controller.abort(new Error('the user left'));
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });

    const operation = kit.only(OPERATION);
    expect(operation.status.code).toBe(SpanStatusCode.UNSET);
    expect(operation.attributes['error.type']).toBeUndefined();
    expect(operation.attributes).toMatchObject({
      'resilient.outcome': 'cancelled',
      'resilient.error.kind': 'cancelled',
    });
    const [attempt] = kit.childrenOf(operation);
    expect(attempt!.status.code).toBe(SpanStatusCode.UNSET);
    expect(attempt!.attributes['resilient.outcome']).toBe('cancelled');
  });

  it('names the spans after the operation given to execute', async () => {
    const kit = traceKit();
    const pipeline = stripePipeline(kit, new FakeClock());
    await pipeline.execute(async () => 'ok', { operation: 'refunds.create' });

    expect(kit.spans().map((span) => span.name)).toEqual([
      'stripe refunds.create attempt',
      'stripe refunds.create',
    ]);
  });

  it('names the spans after the operation alone when the policy names no service', async () => {
    const kit = traceKit();
    await retry({ plugins: [kit.plugin], operation: 'sync' }).execute(async () => 'ok');

    const operation = kit.only('sync');
    expect(operation.attributes['resilient.service']).toBeUndefined();
    expect(kit.childrenOf(operation).map((span) => span.name)).toEqual(['sync attempt']);
  });
});
