import { metrics, trace } from '@opentelemetry/api';
import { type OpenTelemetryPluginOptions, openTelemetryPlugin } from '@resilient/opentelemetry';
import { describe, expect, it } from 'vitest';

function build(options: unknown) {
  return () => openTelemetryPlugin(options as OpenTelemetryPluginOptions);
}

describe('options', () => {
  it('builds with no options, with empty options and with both providers', () => {
    expect(openTelemetryPlugin().name).toBe('@resilient/opentelemetry');
    expect(openTelemetryPlugin({}).name).toBe('@resilient/opentelemetry');
    expect(
      openTelemetryPlugin({
        tracerProvider: trace.getTracerProvider(),
        meterProvider: metrics.getMeterProvider(),
        metrics: false,
      }).name,
    ).toBe('@resilient/opentelemetry');
  });

  it('rejects options that are not an object', () => {
    expect(build('yes')).toThrow(new TypeError('openTelemetryPlugin: options must be an object; got "yes"'));
    expect(build(null)).toThrow('options must be an object; got null');
    expect(build([])).toThrow('options must be an object; got an array');
  });

  it('names an unknown option and lists the accepted ones', () => {
    expect(build({ tracer: {} })).toThrow(
      new TypeError(
        'openTelemetryPlugin: unknown option "tracer"; accepted options are tracerProvider, meterProvider, metrics',
      ),
    );
  });

  it('rejects a tracerProvider without getTracer', () => {
    expect(build({ tracerProvider: {} })).toThrow(
      new TypeError(
        'openTelemetryPlugin: tracerProvider must be an OpenTelemetry TracerProvider (an object with a getTracer method); got an object without getTracer',
      ),
    );
    expect(build({ tracerProvider: 'jaeger' })).toThrow('got "jaeger"');
  });

  it('rejects a meterProvider without getMeter', () => {
    expect(build({ meterProvider: trace.getTracerProvider() })).toThrow(
      'meterProvider must be an OpenTelemetry MeterProvider (an object with a getMeter method); got an object without getMeter',
    );
  });

  it('rejects a metrics flag that is not a boolean', () => {
    expect(build({ metrics: 'on' })).toThrow(
      new TypeError('openTelemetryPlugin: metrics must be true or false; got "on"'),
    );
  });
});
