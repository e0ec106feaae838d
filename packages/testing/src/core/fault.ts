/**
 * Answer with an HTTP error status and the provider's own error body, without processing the request
 * (nothing is delivered).
 */
export interface StatusFault {
  readonly type: 'status';
  /**
   * The HTTP status. Optional when `code` names an error whose status the fake knows (Resend's
   * `daily_quota_exceeded` is a 429); required otherwise.
   */
  readonly status?: number;
  /** The provider's error code, such as Resend's `daily_quota_exceeded`. Default: the usual one for the status. */
  readonly code?: string;
  /** Replaces the provider's default message. */
  readonly message?: string;
  /** A raw body sent as is instead of the provider's JSON error (an HTML page from a gateway, say). */
  readonly body?: string;
  /** Extra response headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * For a 429 rate-limit error: the seconds until the limit resets, in the provider's headers (Resend's
   * `retry-after`; SendGrid's `X-RateLimit-Reset`, whole epoch seconds, so at most this far away). Default: 1.
   */
  readonly retryAfterSeconds?: number;
}

/** Process the request as usual, but only after waiting `ms` milliseconds (while it counts as in flight). */
export interface LatencyFault {
  readonly type: 'latency';
  readonly ms: number;
}

/** Never answer. The connection stays open until the client gives up or the fake is closed. */
export interface HangFault {
  readonly type: 'hang';
}

/** Destroy the connection before answering, without processing the request (nothing is delivered). */
export interface ResetFault {
  readonly type: 'reset';
}

/** Process the request as usual (a valid message is delivered), then answer 200 with a body that is not JSON. */
export interface MalformedBodyFault {
  readonly type: 'malformed-body';
}

/**
 * Process the request as usual (a valid message is delivered, an idempotency key is recorded), then
 * destroy the connection instead of answering: the client cannot tell whether it was applied.
 */
export interface AppliedResponseLostFault {
  readonly type: 'applied-response-lost';
}

/** One thing that goes wrong with one request. */
export type Fault =
  | StatusFault
  | LatencyFault
  | HangFault
  | ResetFault
  | MalformedBodyFault
  | AppliedResponseLostFault;

/** The body a `malformed-body` fault sends: JSON cut off in the middle, as from a proxy that gave up. */
export const MALFORMED_BODY = '{"id":"4ef9a417-02e9-4d39-ad75';

const FAULT_TYPES = new Set<string>([
  'status',
  'latency',
  'hang',
  'reset',
  'malformed-body',
  'applied-response-lost',
]);

/** Checks a fault given by a test, so a typo fails at once rather than as a confusing answer later. */
export function checkFault(fault: Fault): Fault {
  if (typeof fault !== 'object' || fault === null || !FAULT_TYPES.has(fault.type)) {
    throw new TypeError(
      `Unknown fault ${JSON.stringify(fault)}: expected a type among ${[...FAULT_TYPES].join(', ')}`,
    );
  }
  if (fault.type === 'latency' && !(Number.isFinite(fault.ms) && fault.ms >= 0)) {
    throw new RangeError(`A latency fault needs ms >= 0, got ${String(fault.ms)}`);
  }
  if (fault.type === 'status') {
    if (
      fault.status !== undefined &&
      !(Number.isInteger(fault.status) && fault.status >= 400 && fault.status <= 599)
    ) {
      throw new RangeError(`A status fault needs a status from 400 to 599, got ${String(fault.status)}`);
    }
    if (fault.status === undefined && fault.code === undefined) {
      throw new TypeError('A status fault needs a status, a code, or both');
    }
  }
  return fault;
}
