import { context, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { ResiliencePlugin } from '@resilient/core';
import { openTelemetryPlugin } from '@resilient/opentelemetry';
import { probeEndpoint } from './probe-endpoint';
import { OnceReportingExporter, OtlpJsonLinesFileExporter } from './span-exporters';

export interface TracingOptions {
  /** `service.name`: the Service to pick in Jaeger. */
  readonly serviceName: string;
  /** The OTLP/HTTP traces URL (`…/v1/traces`). */
  readonly tracesUrl: string;
  /** Also write the spans here as OTLP/JSON lines. */
  readonly tracesFile?: string | undefined;
  /** How long the start-up probe waits for the collector. Default: 1,000 ms. */
  readonly probeTimeoutMs?: number;
  readonly log: (line: string) => void;
}

/** The demo's tracing: a provider of its own, the resilient plugin on it, and where spans go. */
export interface Tracing {
  readonly tracer: Tracer;
  /** `@resilient/opentelemetry`'s plugin, writing to this provider. */
  readonly plugin: ResiliencePlugin;
  /** The OTLP exporter, when something listened at start-up. */
  readonly otlp: OnceReportingExporter | undefined;
  readonly file: OtlpJsonLinesFileExporter | undefined;
  /** One line for the summary: where the spans went. */
  describe(): string;
  /** Flushes and stops, waiting at most `limitMs` (a dead collector never holds the exit). */
  shutdown(limitMs?: number): Promise<void>;
}

let contextManagerInstalled = false;

/** Async context for the whole process, once: spans made inside an attempt nest under it. */
function installContextManager(): void {
  if (contextManagerInstalled) return;
  contextManagerInstalled = context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

/**
 * Sets up tracing: probes the collector once, with a short timeout. If nothing listens it says so
 * once and exports nowhere (no retry loop, no error per batch); with `tracesFile` the spans are
 * written there either way. The provider is not registered globally, so each run (and each test) has
 * its own; the plugin is given it explicitly.
 */
export async function setUpTracing(options: TracingOptions): Promise<Tracing> {
  installContextManager();
  const processors: SpanProcessor[] = [];
  const probe = await probeEndpoint(options.tracesUrl, options.probeTimeoutMs ?? 1_000);
  let otlp: OnceReportingExporter | undefined;
  if (probe.listening) {
    otlp = new OnceReportingExporter(
      new OTLPTraceExporter({ url: options.tracesUrl, timeoutMillis: 3_000 }),
      (message) => options.log(`traces: ${message}`),
    );
    processors.push(new BatchSpanProcessor(otlp, { scheduledDelayMillis: 500, maxQueueSize: 8_192 }));
  } else {
    options.log(
      `traces: nothing listens on ${options.tracesUrl} (${probe.reason}); spans are not exported. ` +
        'Start Jaeger with `docker compose -f apps/demo/docker-compose.yml up -d`' +
        (options.tracesFile === undefined ? ', or pass --traces-file=spans.jsonl.' : '.'),
    );
  }
  const file =
    options.tracesFile === undefined ? undefined : new OtlpJsonLinesFileExporter(options.tracesFile);
  if (file !== undefined) processors.push(new BatchSpanProcessor(file, { maxQueueSize: 8_192 }));

  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: processors,
  });

  return {
    tracer: provider.getTracer('@resilient/demo'),
    plugin: openTelemetryPlugin({ tracerProvider: provider }),
    otlp,
    file,
    describe() {
      const parts: string[] = [];
      if (otlp !== undefined) {
        parts.push(
          otlp.failed
            ? `${otlp.exported} spans sent to ${options.tracesUrl} before it failed`
            : `${otlp.exported} spans sent to ${options.tracesUrl} as service "${options.serviceName}"`,
        );
      } else parts.push(`not exported (nothing listened on ${options.tracesUrl})`);
      if (file !== undefined) parts.push(`${file.exported} spans written to ${file.path}`);
      return parts.join('; ');
    },
    async shutdown(limitMs = 5_000) {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, limitMs);
        timer.unref();
      });
      await Promise.race([provider.shutdown().catch(() => undefined), limit]);
      clearTimeout(timer);
    },
  };
}
