import { context, diag, trace } from '@opentelemetry/api';
import {
  type AttemptEndEvent,
  type AttemptStartEvent,
  type BreakerStateChangeEvent,
  CircuitOpenError,
  type CircuitState,
  type FallbackEvent,
  type OperationEndEvent,
  type OperationStartEvent,
  type RejectedEvent,
  type ResiliencePlugin,
  type RetryScheduledEvent,
} from '@resilient/core';
import { BreakerStateTable } from './breaker-state-table';
import { INSTRUMENTATION_SCOPE } from './instrumentation-scope';
import { type OpenTelemetryPluginOptions, resolveOptions } from './open-telemetry-plugin-options';
import { ResilienceMetrics } from './resilience-metrics';
import { SpanRecorder } from './span-recorder';
import { EVENT_NAMES, type ResilienceEventName } from './telemetry-names';

const BREAKER_EVENTS: Readonly<Record<CircuitState, ResilienceEventName>> = {
  closed: EVENT_NAMES.breakerClosed,
  open: EVENT_NAMES.breakerOpened,
  'half-open': EVENT_NAMES.breakerHalfOpened,
  isolated: EVENT_NAMES.breakerIsolated,
};

const REJECTION_EVENTS: Readonly<Record<RejectedEvent['rejectedBy'], ResilienceEventName>> = {
  'circuit-breaker': EVENT_NAMES.breakerRejected,
  bulkhead: EVENT_NAMES.bulkheadRejected,
  'rate-limiter': EVENT_NAMES.rateLimiterRejected,
};

/**
 * A {@link ResiliencePlugin} that records every operation as an OpenTelemetry span with a child span
 * per attempt, retries, breaker changes, fallbacks and rejections as span events, and, with
 * `metrics: true`, the resilience metrics. Build one with {@link openTelemetryPlugin}. Its hooks never
 * throw: a failure inside one is reported to OpenTelemetry's `diag` logger and the call goes on.
 */
export class OpenTelemetryPlugin implements ResiliencePlugin {
  /** The plugin's name in core's error reports. */
  readonly name = INSTRUMENTATION_SCOPE.name;
  private readonly breakers = new BreakerStateTable();
  private readonly spans: SpanRecorder;
  private readonly metrics: ResilienceMetrics | undefined;

  /** @param options See {@link OpenTelemetryPluginOptions}; checked here, so a mistake throws at once. */
  constructor(options?: OpenTelemetryPluginOptions) {
    const resolved = resolveOptions(options);
    const tracer = (resolved.tracerProvider ?? trace.getTracerProvider()).getTracer(
      INSTRUMENTATION_SCOPE.name,
      INSTRUMENTATION_SCOPE.version,
    );
    this.spans = new SpanRecorder(tracer, this.breakers);
    this.metrics = resolved.metrics
      ? new ResilienceMetrics(resolved.meterProvider, this.breakers)
      : undefined;
  }

  onOperationStart(event: OperationStartEvent): void {
    try {
      this.spans.operationStarted(event.operation);
    } catch (error) {
      report('onOperationStart', error);
    }
  }

  onOperationEnd(event: OperationEndEvent): void {
    try {
      this.spans.operationEnded(event);
      this.metrics?.operationEnded(event);
    } catch (error) {
      report('onOperationEnd', error);
    }
  }

  onAttemptStart(event: AttemptStartEvent): void {
    try {
      this.spans.attemptStarted(event);
    } catch (error) {
      report('onAttemptStart', error);
    }
  }

  onAttemptEnd(event: AttemptEndEvent): void {
    try {
      this.spans.attemptEnded(event);
      this.metrics?.attemptEnded(event);
    } catch (error) {
      report('onAttemptEnd', error);
    }
  }

  /** Runs the attempt with its span active, so spans made inside it (HTTP, database) become its children. */
  wrapAttempt<T>(event: AttemptStartEvent, run: () => T): T {
    let attemptContext: ReturnType<SpanRecorder['attemptContext']>;
    try {
      attemptContext = this.spans.attemptContext(event.operation);
    } catch (error) {
      report('wrapAttempt', error);
    }
    return attemptContext === undefined ? run() : context.with(attemptContext, run);
  }

  onRetryScheduled(event: RetryScheduledEvent): void {
    try {
      this.spans.retryScheduled(event);
      this.metrics?.event(EVENT_NAMES.retry, event.operation, undefined, event.error?.kind);
    } catch (error) {
      report('onRetryScheduled', error);
    }
  }

  onBreakerStateChange(event: BreakerStateChangeEvent): void {
    try {
      this.breakers.changed(event.breaker, event.to, event.operation?.service);
      this.spans.breakerChanged(event);
      this.metrics?.event(BREAKER_EVENTS[event.to], event.operation, event.breaker, undefined);
    } catch (error) {
      report('onBreakerStateChange', error);
    }
  }

  onRejected(event: RejectedEvent): void {
    try {
      let breaker: string | undefined;
      let state: CircuitState | undefined;
      if (event.rejectedBy === 'circuit-breaker') {
        // Core names the refusing breaker and its state; older cores did not, so fall back to a guess.
        breaker = event.breaker ?? this.breakers.breakerFor(event.operation.service);
        state = event.breakerState ?? rejectingState(event, this.breakers.get(breaker));
        if (breaker !== undefined) this.breakers.set(breaker, state);
      }
      this.spans.rejected(event, breaker, state);
      this.metrics?.event(REJECTION_EVENTS[event.rejectedBy], event.operation, breaker, event.error.kind);
    } catch (error) {
      report('onRejected', error);
    }
  }

  onFallback(event: FallbackEvent): void {
    try {
      this.spans.fallback(event);
      this.metrics?.event(EVENT_NAMES.fallback, event.operation, undefined, event.error.kind);
    } catch (error) {
      report('onFallback', error);
    }
  }
}

/**
 * Builds the OpenTelemetry plugin. Register it for the whole process with core's `registerPlugin`, or
 * give it to one policy with the `plugins` option.
 *
 * @example
 * registerPlugin(openTelemetryPlugin({ metrics: true }));
 */
export function openTelemetryPlugin(options?: OpenTelemetryPluginOptions): OpenTelemetryPlugin {
  return new OpenTelemetryPlugin(options);
}

/**
 * The state a breaker's rejection reveals: `isolated` when it was isolated by hand, `half-open` when it
 * was half-open with every probe taken, else `open`.
 */
function rejectingState(event: RejectedEvent, lastKnown: CircuitState | undefined): CircuitState {
  if (CircuitOpenError.isInstance(event.error) && event.error.isolated) return 'isolated';
  return lastKnown === 'half-open' ? 'half-open' : 'open';
}

function report(hook: string, error: unknown): void {
  try {
    diag.error(`${INSTRUMENTATION_SCOPE.name}: ${hook} failed; the call goes on without it`, error);
  } catch {
    // Reporting must not break the call either.
  }
}
