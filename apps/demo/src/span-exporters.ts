import { appendFileSync, writeFileSync } from 'node:fs';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';

/**
 * Wraps an exporter so that a collector that goes away is reported once and then left alone: after the
 * first failed export, later batches are dropped at once instead of retried (the OTLP exporter would
 * retry each for seconds), and the demo still exits on time. Counts the spans delivered.
 */
export class OnceReportingExporter implements SpanExporter {
  exported = 0;
  failed = false;

  constructor(
    private readonly inner: SpanExporter,
    private readonly report: (message: string) => void,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.failed) {
      done({ code: ExportResultCode.FAILED });
      return;
    }
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this.exported += spans.length;
      else if (!this.failed) {
        this.failed = true;
        this.report(
          `exporting spans failed (${result.error?.message ?? 'unknown error'}); later spans are dropped`,
        );
      }
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/**
 * Writes spans as OTLP/JSON lines, one `ExportTraceServiceRequest` per line: the format Jaeger's UI
 * loads with "Upload" (Search → JSON File), and what `OTLPTraceExporter` would have sent.
 */
export class OtlpJsonLinesFileExporter implements SpanExporter {
  exported = 0;

  constructor(readonly path: string) {
    writeFileSync(path, '');
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    try {
      const bytes = JsonTraceSerializer.serializeRequest(spans);
      if (bytes !== undefined) appendFileSync(this.path, `${Buffer.from(bytes).toString('utf8')}\n`);
      this.exported += spans.length;
      done({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  async shutdown(): Promise<void> {}

  async forceFlush(): Promise<void> {}
}
