import {
  type Attributes,
  type Counter,
  type Histogram,
  type MeterProvider,
  metrics,
  type ObservableResult,
} from '@opentelemetry/api';
import type { AttemptEndEvent, OperationEndEvent, OperationInfo } from '@resilient/core';
import { type BreakerStateTable, CIRCUIT_STATES } from './breaker-state-table';
import { INSTRUMENTATION_SCOPE } from './instrumentation-scope';
import { ATTRIBUTES, METRICS, type ResilienceEventName } from './telemetry-names';

/** Bucket boundaries for durations in seconds (semantic conventions' HTTP buckets, plus 30 s and 60 s). */
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60];
/** Bucket boundaries for attempts per operation. */
const ATTEMPT_BUCKETS = [0, 1, 2, 3, 4, 5, 10];

interface Instruments {
  readonly attemptDuration: Histogram;
  readonly operationDuration: Histogram;
  readonly operationAttempts: Histogram;
  readonly events: Counter;
}

/**
 * @internal The resilience metrics. Instruments come from the injected meter provider, or from the
 * global one, looked up again when it changes: the metrics API has no proxy provider, so a meter taken
 * before the SDK starts would stay a no-op for good.
 */
export class ResilienceMetrics {
  private provider: MeterProvider | undefined = undefined;
  private current: Instruments | undefined = undefined;

  constructor(
    private readonly injected: MeterProvider | undefined,
    private readonly breakers: BreakerStateTable,
  ) {
    this.observeBreakers = this.observeBreakers.bind(this);
  }

  attemptEnded(event: AttemptEndEvent): void {
    const attributes = operationAttributes(event.operation);
    attributes[ATTRIBUTES.attemptNumber] = event.attempt;
    addOutcome(attributes, event.error === undefined ? 'success' : 'failure', event.error?.kind);
    this.instruments().attemptDuration.record(event.durationMs / 1000, attributes);
  }

  operationEnded(event: OperationEndEvent): void {
    const attributes = operationAttributes(event.operation);
    addOutcome(attributes, event.outcome, event.outcome === 'failure' ? event.error?.kind : undefined);
    const instruments = this.instruments();
    instruments.operationDuration.record(event.durationMs / 1000, attributes);
    instruments.operationAttempts.record(event.attempts, attributes);
  }

  /** Counts one event; `breaker` and `errorKind` are added when given. */
  event(
    name: ResilienceEventName,
    operation: OperationInfo | undefined,
    breaker: string | undefined,
    errorKind: string | undefined,
  ): void {
    const attributes: Attributes = operation === undefined ? {} : operationAttributes(operation);
    attributes[ATTRIBUTES.eventName] = name;
    if (breaker !== undefined) attributes[ATTRIBUTES.breakerName] = breaker;
    if (errorKind !== undefined) attributes[ATTRIBUTES.errorKind] = errorKind;
    this.instruments().events.add(1, attributes);
  }

  private instruments(): Instruments {
    const provider = this.injected ?? metrics.getMeterProvider();
    if (this.current !== undefined && provider === this.provider) return this.current;
    const meter = provider.getMeter(INSTRUMENTATION_SCOPE.name, INSTRUMENTATION_SCOPE.version);
    const seconds = { unit: 's', advice: { explicitBucketBoundaries: SECONDS_BUCKETS } };
    this.current = {
      attemptDuration: meter.createHistogram(METRICS.attemptDuration, {
        ...seconds,
        description: 'The duration of each attempt of a resilient operation.',
      }),
      operationDuration: meter.createHistogram(METRICS.operationDuration, {
        ...seconds,
        description: 'The duration of each resilient operation, waits between attempts included.',
      }),
      operationAttempts: meter.createHistogram(METRICS.operationAttempts, {
        unit: '{attempt}',
        description: 'How many attempts each resilient operation ran.',
        advice: { explicitBucketBoundaries: ATTEMPT_BUCKETS },
      }),
      events: meter.createCounter(METRICS.events, {
        unit: '{event}',
        description: 'Retries, fallbacks, circuit breaker transitions and rejections, by event.name.',
      }),
    };
    meter
      .createObservableGauge(METRICS.breakerState, {
        unit: '{state}',
        description: 'The state of each circuit breaker: 1 for its current state, 0 for the others.',
      })
      .addCallback(this.observeBreakers);
    this.provider = provider;
    return this.current;
  }

  private observeBreakers(result: ObservableResult): void {
    for (const [breaker, current] of this.breakers.entries()) {
      for (const state of CIRCUIT_STATES) {
        result.observe(state === current ? 1 : 0, {
          [ATTRIBUTES.breakerName]: breaker,
          [ATTRIBUTES.breakerState]: state,
        });
      }
    }
  }
}

function operationAttributes(operation: OperationInfo): Attributes {
  const attributes: Attributes = { [ATTRIBUTES.operation]: operation.operation };
  if (operation.service !== undefined) attributes[ATTRIBUTES.service] = operation.service;
  return attributes;
}

/** Adds the outcome, and `error.type` when the measured thing failed (a caller's abort did not). */
function addOutcome(attributes: Attributes, outcome: string, errorKind: string | undefined): void {
  if (errorKind === undefined) {
    attributes[ATTRIBUTES.outcome] = outcome;
  } else if (errorKind === 'cancelled') {
    attributes[ATTRIBUTES.outcome] = 'cancelled';
  } else {
    attributes[ATTRIBUTES.outcome] = 'failure';
    attributes[ATTRIBUTES.errorType] = errorKind;
  }
}
