import type { Attributes } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { type OpenTelemetryPlugin, openTelemetryPlugin } from '@resilient/opentelemetry';

/** A tracer provider that keeps finished spans in memory, and a plugin that writes to it. */
export interface TraceKit {
  readonly provider: BasicTracerProvider;
  readonly exporter: InMemorySpanExporter;
  readonly plugin: OpenTelemetryPlugin;
  /** Every finished span, in the order they ended. */
  spans(): ReadableSpan[];
  /** The one finished span named `name`; fails when there are none or several. */
  only(name: string): ReadableSpan;
  /** The finished children of `parent`, in the order they ended. */
  childrenOf(parent: ReadableSpan): ReadableSpan[];
}

/** Builds a {@link TraceKit}; the plugin gets the provider injected, so nothing global changes. */
export function traceKit(): TraceKit {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const plugin = openTelemetryPlugin({ tracerProvider: provider });
  const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
  return {
    provider,
    exporter,
    plugin,
    spans,
    only(name) {
      const found = spans().filter((span) => span.name === name);
      if (found.length !== 1) {
        throw new Error(`expected one span named "${name}", found ${found.length}: ${names(spans())}`);
      }
      return found[0]!;
    },
    childrenOf(parent) {
      return spans().filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId);
    },
  };
}

/** The names and attributes of a span's events, for `toEqual`. */
export function eventsOf(span: ReadableSpan): { name: string; attributes: Attributes | undefined }[] {
  return span.events.map((event) => ({ name: event.name, attributes: event.attributes }));
}

function names(spans: ReadableSpan[]): string {
  return spans.map((span) => span.name).join(', ') || 'none';
}
