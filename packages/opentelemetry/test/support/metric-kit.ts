import type { Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';

/** A meter provider whose metrics are read on demand, with no timer firing during a test. */
export interface MetricKit {
  readonly provider: MeterProvider;
  /** Reads every instrument now (cumulative since the start). */
  collect(): Promise<MetricData[]>;
  shutdown(): Promise<void>;
}

export function metricKit(): MetricKit {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // An hour between exports: only forceFlush exports during a test.
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  return {
    provider,
    async collect() {
      await reader.forceFlush();
      const latest = exporter.getMetrics().at(-1);
      exporter.reset();
      return latest?.scopeMetrics.flatMap((scope) => scope.metrics) ?? [];
    },
    shutdown: () => provider.shutdown(),
  };
}

/** The one metric named `name`; fails when it is missing. */
export function metric(metrics: MetricData[], name: string): MetricData {
  const found = metrics.find((candidate) => candidate.descriptor.name === name);
  if (found === undefined) {
    const names = metrics.map((candidate) => candidate.descriptor.name).join(', ') || 'none';
    throw new Error(`no metric named "${name}"; found ${names}`);
  }
  return found;
}

/** The points of a counter or gauge, as attributes and value. */
export function numberPoints(data: MetricData): { attributes: Attributes; value: number }[] {
  return (data.dataPoints as DataPoint<number>[]).map((point) => ({
    attributes: point.attributes,
    value: point.value,
  }));
}

/** The points of a histogram, as attributes, count and sum. */
export function histogramPoints(data: MetricData): { attributes: Attributes; count: number; sum: number }[] {
  return (data.dataPoints as DataPoint<Histogram>[]).map((point) => ({
    attributes: point.attributes,
    count: point.value.count,
    sum: point.value.sum ?? Number.NaN,
  }));
}
