import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { constantBackoff, resilient } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import { INSTRUMENTATION_SCOPE, openTelemetryPlugin } from '@resilient/opentelemetry';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeSpans } from './support/otlp-decode';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver';

/** A live key as Stripe formats them: core's redaction knows the pattern. */
const API_KEY = 'sk_live_CanaryKey4f9d2c8b7a6e5d4c';
/** A secret no pattern matches: it can stay out of the export only by never being recorded. */
const OPAQUE_SECRET = 'opaque-canary-secret-91b3e7';

const ENCODINGS: { name: string; contentType: string; exporter: (url: string) => SpanExporter }[] = [
  { name: 'JSON', contentType: 'application/json', exporter: (url) => new JsonTraceExporter({ url }) },
  {
    name: 'protobuf',
    contentType: 'application/x-protobuf',
    exporter: (url) => new ProtobufTraceExporter({ url }),
  },
];

let receiver: OtlpReceiver | undefined;

afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

/** Attempt 1 fails with a 503, attempt 2 with a 401; both errors carry the secrets. */
function leakyCall() {
  let calls = 0;
  return async () => {
    calls++;
    throw Object.assign(new Error(`Invalid API Key provided: ${API_KEY} (${OPAQUE_SECRET})`), {
      status: calls === 1 ? 503 : 401,
      requestId: `req_1 ${API_KEY}`,
      headers: { authorization: `Bearer ${API_KEY}`, 'x-debug': OPAQUE_SECRET },
      cause: new Error(`socket said ${OPAQUE_SECRET} ${API_KEY}`),
    });
  };
}

describe.each(ENCODINGS)('OTLP over HTTP in $name', ({ contentType, exporter }) => {
  it('delivers the operation and attempt spans, decodable, with no secret in them', async () => {
    receiver = await startOtlpReceiver();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'checkout-api' }),
      spanProcessors: [new BatchSpanProcessor(exporter(`${receiver.endpoint}/v1/traces`))],
    });
    const clock = new FakeClock();
    const stripe = resilient({
      service: 'stripe',
      operation: 'customers.create',
      clock,
      plugins: [openTelemetryPlugin({ tracerProvider: provider })],
      retry: { maxAttempts: 3, backoff: constantBackoff(1_500), budget: false },
      circuitBreaker: false,
    });
    const pending = stripe.execute(leakyCall()).catch((error: unknown) => error);
    await clock.advance(1_500);
    expect(await pending).toMatchObject({ kind: 'auth' });
    await provider.forceFlush();
    await provider.shutdown();

    expect(receiver.requests.length).toBeGreaterThan(0);
    for (const request of receiver.requests) {
      expect(request.path).toBe('/v1/traces');
      expect(request.contentType).toContain(contentType);
      for (const encoding of ['utf8', 'latin1'] as const) {
        expect(request.body.toString(encoding)).not.toContain(API_KEY);
        expect(request.body.toString(encoding)).not.toContain(OPAQUE_SECRET);
      }
    }
    const spans = receiver.requests.flatMap(decodeSpans);
    expect(JSON.stringify(spans)).not.toContain(OPAQUE_SECRET);
    const operation = spans.find((span) => span.name === 'stripe customers.create')!;
    const attempts = spans.filter((span) => span.name === 'stripe customers.create attempt');

    expect(operation).toMatchObject({
      serviceName: 'checkout-api',
      scopeName: INSTRUMENTATION_SCOPE.name,
      parentSpanId: '',
      kind: SpanKind.INTERNAL + 1, // OTLP numbers kinds from 1 (INTERNAL), the API from 0
      statusCode: SpanStatusCode.ERROR,
      statusMessage: 'auth',
    });
    expect(operation.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(operation.attributes).toMatchObject({
      'resilient.service': 'stripe',
      'resilient.operation': 'customers.create',
      'resilient.outcome': 'failure',
      'resilient.attempt.count': 2,
      'error.type': 'auth',
      'resilient.error.retryable': false,
      'resilient.error.status': 401,
      'resilient.error.request_id': 'req_1 [redacted]',
    });
    expect(operation.events).toEqual([
      {
        name: 'resilient.retry',
        attributes: {
          'resilient.attempt.number': 1,
          'resilient.retry.delay_ms': 1_500,
          'resilient.error.kind': 'unavailable',
        },
      },
    ]);
    expect(attempts.map((span) => [span.parentSpanId, span.traceId, span.statusCode])).toEqual([
      [operation.spanId, operation.traceId, SpanStatusCode.ERROR],
      [operation.spanId, operation.traceId, SpanStatusCode.ERROR],
    ]);
    expect(attempts.map((span) => span.attributes['resilient.attempt.delay_ms'])).toEqual([0, 1_500]);
    expect(attempts.map((span) => span.attributes['error.type'])).toEqual(['unavailable', 'auth']);
  });
});
