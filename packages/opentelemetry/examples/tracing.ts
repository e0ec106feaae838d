// tracing.ts: load it before your app, e.g. `node --import ./tracing.js app.js`
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, detectResources, envDetector } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { registerPlugin } from '@resilient/core';
import { openTelemetryPlugin } from '@resilient/opentelemetry';

export const tracerProvider = new NodeTracerProvider({
  // service.name from OTEL_SERVICE_NAME
  resource: defaultResource().merge(detectResources({ detectors: [envDetector] })),
  // OTLP/HTTP (protobuf) to $OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces, by default http://localhost:4318
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
});
tracerProvider.register(); // the global tracer, async context and W3C trace-context propagation

registerPlugin(openTelemetryPlugin()); // every resilient policy in the process now traces
