import type { Outcome } from './error-kind';
import { hasMarker, ResilientError } from './resilient-error';

const MARKER = 'resilient.error.timeout';
const symbol = Symbol.for(MARKER);

/** Which timeout fired: one attempt's, or the whole operation's (the deadline). */
export type TimeoutScope = 'attempt' | 'total';

/** What a {@link TimeoutError} is built from. */
export interface TimeoutErrorOptions {
  /** Which timeout fired. */
  scope: TimeoutScope;
  /** The timeout that fired, in milliseconds. */
  timeoutMs: number;
  /** The service the call went to. */
  service?: string;
  /** Set when the deadline was not reached yet but a retry delay would have passed it. */
  wouldWaitMs?: number;
  /** The error of the last attempt, when a retry was refused because of the deadline. */
  cause?: unknown;
  /** Whether the request may have been applied. Default: `unknown` (a call was in flight). */
  outcome?: Outcome;
}

/**
 * An attempt or the whole operation ran out of time. The request may have been applied
 * (`outcome: 'unknown'`). An attempt timeout is retryable; a total timeout is not.
 */
export class TimeoutError extends ResilientError {
  readonly [symbol] = true;
  /** Which timeout fired. */
  readonly scope: TimeoutScope;
  /** The timeout that fired, in milliseconds. */
  readonly timeoutMs: number;
  /** When a retry was refused because its delay would pass the deadline: that delay. */
  readonly wouldWaitMs: number | undefined;

  constructor(options: TimeoutErrorOptions) {
    const message =
      options.wouldWaitMs === undefined
        ? `${options.scope === 'total' ? 'Total' : 'Attempt'} timeout of ${options.timeoutMs} ms reached${options.service ? ` calling ${options.service}` : ''}`
        : `A retry in ${options.wouldWaitMs} ms would pass the total timeout of ${options.timeoutMs} ms${options.service ? ` calling ${options.service}` : ''}`;
    super({
      kind: 'timeout',
      message,
      service: options.service,
      retryable: options.scope === 'attempt',
      outcome: options.outcome ?? 'unknown',
      cause: options.cause,
    });
    this.name = 'TimeoutError';
    this.scope = options.scope;
    this.timeoutMs = options.timeoutMs;
    this.wouldWaitMs = options.wouldWaitMs;
  }

  /** Whether `error` is a {@link TimeoutError}, from any copy of the package. */
  static override isInstance(error: unknown): error is TimeoutError {
    return hasMarker(error, MARKER);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), scope: this.scope, timeoutMs: this.timeoutMs, wouldWaitMs: this.wouldWaitMs };
  }
}
