import { trace } from '@opentelemetry/api';
import type { ResiliencePlugin } from '@resilient/core';

/** A core plugin that remembers the first trace in which something worth a look happened. */
export interface NotableTracesPlugin extends ResiliencePlugin {
  /** What happened → the id of the first trace it happened in, in the order they were first seen. */
  readonly notes: ReadonlyMap<string, string>;
  /** Records a note from outside the hooks (the signup's own outcome, say). */
  note(label: string, traceId: string | undefined): void;
}

/**
 * Reads the active span when a hook fires: core runs the hooks inside the caller's async context, so
 * that is the signup request's trace. Keeps the first trace id per label.
 */
export function createNotableTracesPlugin(): NotableTracesPlugin {
  const notes = new Map<string, string>();
  const note = (label: string, traceId: string | undefined): void => {
    if (traceId !== undefined && !/^0+$/.test(traceId) && !notes.has(label)) notes.set(label, traceId);
  };
  const current = (): string | undefined => trace.getActiveSpan()?.spanContext().traceId;
  return {
    name: 'demo-notable-traces',
    notes,
    note,
    onRetryScheduled: ({ operation, error }) => {
      if (error?.kind === 'rate-limit') note(`${operation.service}: a 429 waited out`, current());
      else note(`${operation.service}: retried after ${error?.kind ?? 'a result'}`, current());
    },
    onBreakerStateChange: ({ breaker, from, to }) => {
      if (to === 'open' && from === 'closed') note(`${breaker}: breaker opened`, current());
      if (to === 'closed') note(`${breaker}: breaker closed again after a probe`, current());
    },
    onRejected: ({ operation, rejectedBy }) => {
      if (rejectedBy === 'circuit-breaker') note(`${operation.service}: skipped, breaker open`, current());
    },
    onOperationEnd: ({ operation, error }) => {
      if (error?.kind === 'auth' || error?.kind === 'permission')
        note(`${operation.service}: key refused`, current());
    },
  };
}
