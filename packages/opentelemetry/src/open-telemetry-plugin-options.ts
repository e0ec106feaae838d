import type { MeterProvider, TracerProvider } from '@opentelemetry/api';

/** Options of {@link openTelemetryPlugin}. */
export interface OpenTelemetryPluginOptions {
  /**
   * Where spans go. Default: the global provider (`trace.getTracerProvider()`), which picks up an SDK
   * registered later, so the plugin can be created before the SDK starts.
   */
  tracerProvider?: TracerProvider;
  /**
   * Where metrics go, when they are on. Default: the global provider (`metrics.getMeterProvider()`),
   * looked up again when it changes, so an SDK started after the plugin still receives them.
   */
  meterProvider?: MeterProvider;
  /**
   * Records the resilience metrics (attempt and operation durations, attempts per operation, events,
   * breaker state). Default: `false`, or `true` when a `meterProvider` is given.
   */
  metrics?: boolean;
}

/** @internal The checked options. */
export interface ResolvedOptions {
  readonly tracerProvider: TracerProvider | undefined;
  readonly meterProvider: MeterProvider | undefined;
  readonly metrics: boolean;
}

const OWNER = 'openTelemetryPlugin';
const KEYS: readonly string[] = ['tracerProvider', 'meterProvider', 'metrics'];

/**
 * @internal Checks the options once, when the plugin is built. Messages name the option and what it
 * accepts.
 */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (options === undefined) return { tracerProvider: undefined, meterProvider: undefined, metrics: false };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${OWNER}: options must be an object; got ${describe(options)}`);
  }
  const record = options as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!KEYS.includes(key)) {
      throw new TypeError(`${OWNER}: unknown option "${key}"; accepted options are ${KEYS.join(', ')}`);
    }
  }
  const tracerProvider = provider<TracerProvider>(
    record.tracerProvider,
    'tracerProvider',
    'getTracer',
    'TracerProvider',
  );
  const meterProvider = provider<MeterProvider>(
    record.meterProvider,
    'meterProvider',
    'getMeter',
    'MeterProvider',
  );
  const metrics = record.metrics;
  if (metrics !== undefined && typeof metrics !== 'boolean') {
    throw new TypeError(`${OWNER}: metrics must be true or false; got ${describe(metrics)}`);
  }
  return { tracerProvider, meterProvider, metrics: metrics ?? meterProvider !== undefined };
}

function provider<T>(value: unknown, option: string, method: string, typeName: string): T | undefined {
  if (value === undefined) return undefined;
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isObject && typeof (value as Record<string, unknown>)[method] === 'function') return value as T;
  const got = isObject ? `an object without ${method}` : describe(value);
  throw new TypeError(
    `${OWNER}: ${option} must be an OpenTelemetry ${typeName} (an object with a ${method} method); got ${got}`,
  );
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
