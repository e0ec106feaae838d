import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type {
  AttemptEndEvent,
  AttemptStartEvent,
  BreakerStateChangeEvent,
  CircuitState,
  FallbackEvent,
  OperationEndEvent,
  OperationInfo,
  RejectedEvent,
  ResilientError,
  RetryScheduledEvent,
} from '@resilient/core';
import type { BreakerStateTable } from './breaker-state-table';
import { addErrorAttributes, isCancellation } from './error-attributes';
import { OperationTrace } from './operation-trace';
import { ATTRIBUTES, SPAN_EVENTS } from './telemetry-names';

/**
 * @internal Turns core's hook events into spans: one INTERNAL span per operation, a child span per
 * attempt, and span events for retries, breaker changes, fallbacks and rejections. An operation whose
 * span is not recording (no SDK, or sampled out) is not tracked at all.
 */
export class SpanRecorder {
  private readonly operations = new WeakMap<OperationInfo, OperationTrace>();

  constructor(
    private readonly tracer: Tracer,
    private readonly breakers: BreakerStateTable,
  ) {}

  operationStarted(operation: OperationInfo): void {
    const parent = context.active();
    const service = operation.service;
    const name = service === undefined ? operation.operation : `${service} ${operation.operation}`;
    const attributes: Attributes = { [ATTRIBUTES.operation]: operation.operation };
    if (service !== undefined) attributes[ATTRIBUTES.service] = service;
    const span = this.tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes }, parent);
    if (!span.isRecording()) return;
    this.operations.set(operation, new OperationTrace(span, trace.setSpan(parent, span), name));
  }

  attemptStarted(event: AttemptStartEvent): void {
    const state = this.operations.get(event.operation);
    if (state === undefined) return;
    if (state.attemptSpan !== undefined) this.finishAttempt(state, undefined);
    const operation = event.operation;
    const attributes: Attributes = {
      [ATTRIBUTES.operation]: operation.operation,
      [ATTRIBUTES.attemptNumber]: event.attempt,
      [ATTRIBUTES.attemptDelayMs]: event.delayMs,
    };
    if (operation.service !== undefined) attributes[ATTRIBUTES.service] = operation.service;
    const breakerState = this.breakers.get(state.breakerName ?? this.breakers.breakerFor(operation.service));
    if (breakerState !== undefined) attributes[ATTRIBUTES.breakerState] = breakerState;
    const span = this.tracer.startSpan(
      `${state.name} attempt`,
      { kind: SpanKind.INTERNAL, attributes },
      state.context,
    );
    state.attemptSpan = span;
    state.attemptNumber = event.attempt;
    state.attemptContext = trace.setSpan(state.context, span);
  }

  /** The context the attempt's function should run in, or `undefined` when the operation is not traced. */
  attemptContext(operation: OperationInfo): Context | undefined {
    return this.operations.get(operation)?.attemptContext;
  }

  attemptEnded(event: AttemptEndEvent): void {
    const state = this.operations.get(event.operation);
    if (state === undefined || state.attemptNumber !== event.attempt) return;
    this.finishAttempt(state, event.error);
  }

  retryScheduled(event: RetryScheduledEvent): void {
    const state = this.operations.get(event.operation);
    if (state === undefined) return;
    const attributes: Attributes = {
      [ATTRIBUTES.attemptNumber]: event.attempt,
      [ATTRIBUTES.retryDelayMs]: event.delayMs,
    };
    if (event.error !== undefined) attributes[ATTRIBUTES.errorKind] = event.error.kind;
    state.span.addEvent(SPAN_EVENTS.retry, attributes);
  }

  breakerChanged(event: BreakerStateChangeEvent): void {
    if (event.operation === undefined) return;
    const state = this.operations.get(event.operation);
    if (state === undefined) return;
    state.breakerName = event.breaker;
    state.breakerState = event.to;
    state.span.addEvent(SPAN_EVENTS.breakerStateChange, {
      [ATTRIBUTES.breakerName]: event.breaker,
      [ATTRIBUTES.breakerPreviousState]: event.from,
      [ATTRIBUTES.breakerState]: event.to,
    });
  }

  /** Records a rejection; for a breaker's, `breaker` and `breakerState` say which breaker and its state. */
  rejected(event: RejectedEvent, breaker: string | undefined, breakerState: CircuitState | undefined): void {
    const state = this.operations.get(event.operation);
    if (state === undefined) return;
    const attributes: Attributes = { [ATTRIBUTES.rejectedBy]: event.rejectedBy };
    addErrorAttributes(attributes, event.error);
    if (breaker !== undefined) attributes[ATTRIBUTES.breakerName] = breaker;
    if (breakerState !== undefined) {
      attributes[ATTRIBUTES.breakerState] = breakerState;
      state.breakerState = breakerState;
    }
    state.span.addEvent(SPAN_EVENTS.rejected, attributes);
  }

  fallback(event: FallbackEvent): void {
    const state = this.operations.get(event.operation);
    if (state === undefined) return;
    state.span.addEvent(SPAN_EVENTS.fallback, addErrorAttributes({}, event.error));
  }

  operationEnded(event: OperationEndEvent): void {
    const operation = event.operation;
    const state = this.operations.get(operation);
    if (state === undefined) return;
    this.operations.delete(operation);
    if (state.attemptSpan !== undefined) this.finishAttempt(state, event.error);
    const span = state.span;
    const attributes: Attributes = { [ATTRIBUTES.attemptCount]: event.attempts };
    const breakerState =
      state.breakerState ??
      this.breakers.get(state.breakerName ?? this.breakers.breakerFor(operation.service));
    if (breakerState !== undefined) attributes[ATTRIBUTES.breakerState] = breakerState;
    const error = event.outcome === 'failure' ? event.error : undefined;
    if (error === undefined) {
      attributes[ATTRIBUTES.outcome] = event.outcome;
    } else {
      markFailure(span, attributes, error);
    }
    span.setAttributes(attributes);
    span.end();
  }

  private finishAttempt(state: OperationTrace, error: ResilientError | undefined): void {
    const span = state.attemptSpan!;
    state.attemptSpan = undefined;
    state.attemptContext = undefined;
    if (error === undefined) {
      span.setAttribute(ATTRIBUTES.outcome, 'success');
    } else {
      const attributes: Attributes = {};
      markFailure(span, attributes, error);
      span.setAttributes(attributes);
    }
    span.end();
  }
}

/**
 * Records a failure: the error's attributes, and, unless the caller cancelled, `error.type` and
 * status ERROR with the kind as its description (never the message, which may quote a secret).
 */
function markFailure(span: Span, attributes: Attributes, error: ResilientError): void {
  addErrorAttributes(attributes, error);
  if (isCancellation(error)) {
    attributes[ATTRIBUTES.outcome] = 'cancelled';
    return;
  }
  attributes[ATTRIBUTES.outcome] = 'failure';
  attributes[ATTRIBUTES.errorType] = error.kind;
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.kind });
}
