import type { Context, Span } from '@opentelemetry/api';
import type { CircuitState } from '@resilient/core';

/** @internal The spans of one operation in flight, found by its `OperationInfo`. */
export class OperationTrace {
  /** The span of the attempt running now, if any. */
  attemptSpan: Span | undefined = undefined;
  /** The number of the attempt running now. */
  attemptNumber = 0;
  /** The context the running attempt's function runs in: the operation's, with the attempt span set. */
  attemptContext: Context | undefined = undefined;
  /** The breaker seen changing state during this operation, if any. */
  breakerName: string | undefined = undefined;
  /** The breaker state seen during this operation (a change or a rejection), if any. */
  breakerState: CircuitState | undefined = undefined;

  /**
   * @param span The operation span.
   * @param context The caller's context with the operation span set: the parent of every attempt span.
   * @param name The operation span's name; attempt spans add ` attempt`.
   */
  constructor(
    readonly span: Span,
    readonly context: Context,
    readonly name: string,
  ) {}
}
