import { redactText, scrubSecrets } from '../classify/scrub-secrets';
import type { Outcome } from './error-kind';
import { hasMarker, ResilientError } from './resilient-error';

const MARKER = 'resilient.error.cancelled';
const symbol = Symbol.for(MARKER);

/**
 * The caller aborted the operation through its `signal`. Never retried, never counted against a
 * provider. `reason` (and `cause`) hold the caller's own `signal.reason`, scrubbed of credentials (an
 * object in place, so it keeps its identity; a string redacted).
 */
export class CancelledError extends ResilientError {
  readonly [symbol] = true;
  /** The caller's `signal.reason`, scrubbed of credentials. */
  readonly reason: unknown;

  constructor(options: { reason: unknown; service?: string; outcome?: Outcome }) {
    const reason =
      typeof options.reason === 'string' ? redactText(options.reason) : scrubSecrets(options.reason);
    super({
      kind: 'cancelled',
      message: `Cancelled by the caller${describeReason(options.reason)}`,
      service: options.service,
      outcome: options.outcome ?? 'unknown',
      cause: reason,
    });
    this.name = 'CancelledError';
    this.reason = reason;
  }

  /** Whether `error` is a {@link CancelledError}, from any copy of the package. */
  static override isInstance(error: unknown): error is CancelledError {
    return hasMarker(error, MARKER);
  }
}

/** The reason's text for the message, with credentials redacted (the message must not hold secrets). */
function describeReason(reason: unknown): string {
  let text: unknown;
  try {
    text = reason instanceof Error ? reason.message : reason;
  } catch {
    text = undefined;
  }
  return typeof text === 'string' && text ? `: ${redactText(text)}` : '';
}
