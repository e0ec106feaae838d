import { type DiagLogger, DiagLogLevel, diag, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { CircuitOpenError, type OperationInfo, onPluginError, resilient } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import { openTelemetryPlugin } from '@resilient/opentelemetry';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { traceKit } from './support/trace-kit';

afterEach(() => {
  diag.disable();
  onPluginError(undefined);
});

/** A tracer provider whose tracer throws on every call, as a broken SDK might. */
const brokenProvider: TracerProvider = {
  getTracer: () =>
    new Proxy({} as Tracer, {
      get: () => () => {
        throw new Error('the SDK broke');
      },
    }),
};

function diagErrors(): ReturnType<typeof vi.fn> {
  const error = vi.fn();
  const ignore = () => {};
  const logger: DiagLogger = { error, warn: ignore, info: ignore, debug: ignore, verbose: ignore };
  diag.setLogger(logger, { logLevel: DiagLogLevel.ERROR, suppressOverrideMessage: true });
  return error;
}

describe('a plugin that must not break the call it observes', () => {
  it('runs the call once and returns its result when the tracer throws, reporting to diag', async () => {
    const reported = diagErrors();
    const pluginErrors = vi.fn();
    onPluginError(pluginErrors);
    const fn = vi.fn(async () => 'cus_123');
    const stripe = resilient({
      service: 'stripe',
      clock: new FakeClock(),
      plugins: [openTelemetryPlugin({ tracerProvider: brokenProvider })],
      circuitBreaker: false,
    });

    expect(await stripe.execute(fn)).toBe('cus_123');

    expect(fn).toHaveBeenCalledTimes(1);
    expect(pluginErrors).not.toHaveBeenCalled();
    expect(reported).toHaveBeenCalledWith(
      '@resilient/opentelemetry: onOperationStart failed; the call goes on without it',
      expect.objectContaining({ message: 'the SDK broke' }),
    );
  });

  it('ignores events of an operation it never saw start', () => {
    const kit = traceKit();
    const operation: OperationInfo = { service: 'stripe', operation: 'customers.create', startedAt: 0 };
    const error = new CircuitOpenError({ service: 'stripe', retryAfterMs: 1_000 });
    const plugin = kit.plugin;

    plugin.onAttemptStart({ operation, attempt: 1, delayMs: 0 });
    expect(plugin.wrapAttempt({ operation, attempt: 1, delayMs: 0 }, () => 'ran')).toBe('ran');
    plugin.onAttemptEnd({ operation, attempt: 1, durationMs: 1, error, kind: error.kind });
    plugin.onRetryScheduled({ operation, attempt: 1, delayMs: 10, error });
    plugin.onRejected({ operation, rejectedBy: 'circuit-breaker', error });
    plugin.onFallback({ operation, error });
    plugin.onBreakerStateChange({ breaker: 'stripe', from: 'closed', to: 'open', operation });
    plugin.onOperationEnd({ operation, attempts: 1, durationMs: 1, outcome: 'failure', error });

    expect(kit.spans()).toEqual([]);
  });
});
