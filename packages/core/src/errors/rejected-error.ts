import { hasMarker, ResilientError } from './resilient-error';

const MARKER = 'resilient.error.rejected';
const symbol = Symbol.for(MARKER);

/** Which local policy refused to start a call. */
export type RejectedBy = 'bulkhead' | 'rate-limiter';

/**
 * A local policy refused to start the call, so nothing was sent (`outcome: 'not-sent'`): the bulkhead
 * was full (`bulkhead-rejected`) or the client-side rate limiter had no token in time
 * (`rate-limiter-rejected`, with `retryAfterMs` until the next token).
 */
export class RejectedError extends ResilientError {
  readonly [symbol] = true;
  /** The policy that refused. */
  readonly rejectedBy: RejectedBy;

  constructor(options: { rejectedBy: RejectedBy; message: string; service?: string; retryAfterMs?: number }) {
    super({
      kind: options.rejectedBy === 'bulkhead' ? 'bulkhead-rejected' : 'rate-limiter-rejected',
      message: options.message,
      service: options.service,
      retryAfterMs: options.retryAfterMs,
      outcome: 'not-sent',
    });
    this.name = 'RejectedError';
    this.rejectedBy = options.rejectedBy;
  }

  /** Whether `error` is a {@link RejectedError}, from any copy of the package. */
  static override isInstance(error: unknown): error is RejectedError {
    return hasMarker(error, MARKER);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), rejectedBy: this.rejectedBy };
  }
}
