import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { constantBackoff, registerPlugin, resilient } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import { openTelemetryPlugin } from '@resilient/opentelemetry';
import { afterAll, beforeAll, expect, it } from 'vitest';

// The SDK is registered globally here, as an application does: a context manager, W3C propagation,
// and the plugin taking its tracer from the global API.
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const statuses: number[] = [];
const traceparents: (string | undefined)[] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  provider.register();
  server = createServer((request, response) => {
    traceparents.push(request.headers.traceparent as string | undefined);
    response.writeHead(statuses.shift() ?? 200, { 'content-type': 'application/json' });
    response.end('{"id":"cus_123"}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/customers`;
});

afterAll(async () => {
  server.close();
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

/** What an HTTP instrumentation does: a CLIENT span around the request, its context in `traceparent`. */
function instrumentedPost(signal: AbortSignal): Promise<string> {
  return trace.getTracer('http-client').startActiveSpan('POST', { kind: SpanKind.CLIENT }, async (span) => {
    try {
      const headers: Record<string, string> = {};
      propagation.inject(context.active(), headers);
      const response = await fetch(url, { method: 'POST', headers, signal });
      span.setAttribute('http.response.status_code', response.status);
      const body = await response.text();
      if (!response.ok)
        throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status });
      return body;
    } finally {
      span.end();
    }
  });
}

it('nests the HTTP client span of each attempt under that attempt, inside the caller span', async () => {
  const unregister = registerPlugin(openTelemetryPlugin());
  try {
    statuses.push(503);
    const stripe = resilient({
      service: 'stripe',
      operation: 'customers.create',
      clock: new FakeClock(),
      retry: { maxAttempts: 3, backoff: constantBackoff(0) },
      circuitBreaker: false,
    });
    const body = await trace.getTracer('app').startActiveSpan('POST /signup', async (request) => {
      try {
        return await stripe.execute(({ signal }) => instrumentedPost(signal));
      } finally {
        request.end();
      }
    });
    expect(body).toBe('{"id":"cus_123"}');
  } finally {
    unregister();
  }

  const spans = exporter.getFinishedSpans();
  const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
  const parentName = (spanId: string | undefined) => (spanId === undefined ? 'none' : byId.get(spanId)?.name);
  const request = spans.find((span) => span.name === 'POST /signup')!;
  const operation = spans.find((span) => span.name === 'stripe customers.create')!;
  const attempts = spans.filter((span) => span.name === 'stripe customers.create attempt');
  const clients = spans.filter((span) => span.name === 'POST');

  expect(parentName(operation.parentSpanContext?.spanId)).toBe('POST /signup');
  expect(operation.spanContext().traceId).toBe(request.spanContext().traceId);
  expect(attempts).toHaveLength(2);
  expect(clients).toHaveLength(2);
  for (const [index, client] of clients.entries()) {
    expect(client.parentSpanContext?.spanId).toBe(attempts[index]!.spanContext().spanId);
    expect(client.attributes['http.response.status_code']).toBe(index === 0 ? 503 : 200);
    // What went over the wire names the client span as the parent of the server's work.
    expect(traceparents[index]).toBe(`00-${client.spanContext().traceId}-${client.spanContext().spanId}-01`);
  }
  expect(attempts.map((span) => parentName(span.parentSpanContext?.spanId))).toEqual([
    'stripe customers.create',
    'stripe customers.create',
  ]);
});
