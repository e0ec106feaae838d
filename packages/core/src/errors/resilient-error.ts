import { type ErrorKind, KIND_INFO, type Outcome } from './error-kind';

const MARKER = 'resilient.error';
const symbol = Symbol.for(MARKER);

/** What a {@link ResilientError} is built from. */
export interface ResilientErrorOptions {
  /** The failure kind; decides the defaults of `retryable`. */
  kind: ErrorKind;
  /** A human-readable message. It must not contain secrets. */
  message?: string;
  /** Overrides the kind's default. */
  retryable?: boolean;
  /** The service the call went to, such as `stripe` or `resend`. */
  service?: string;
  /** The HTTP status, when there was a response. */
  status?: number;
  /** How long the provider asked us to wait, in milliseconds. */
  retryAfterMs?: number;
  /** The provider's request id, for its support team. */
  requestId?: string;
  /** Whether the request may have been applied. Default: `unknown`. */
  outcome?: Outcome;
  /** The provider's own error code, such as `card_declined` or `rate_limit_exceeded`. */
  code?: string;
  /** The original error, already scrubbed of secrets. */
  cause?: unknown;
}

/**
 * The base of every error the SDK throws. Check with {@link ResilientError.isInstance} rather than
 * `instanceof`: the marker survives two copies of the package in one process.
 */
export class ResilientError extends Error {
  readonly [symbol] = true;

  /** The failure kind every policy keys off. */
  readonly kind: ErrorKind;
  /** Whether a retry could help (the kind's default unless the classifier knew better). */
  readonly retryable: boolean;
  /** The service the call went to. */
  service: string | undefined;
  /** The HTTP status, when there was a response. */
  readonly status: number | undefined;
  /** How long the provider asked us to wait, in milliseconds, when it said. */
  readonly retryAfterMs: number | undefined;
  /** The provider's request id. */
  readonly requestId: string | undefined;
  /**
   * Whether the request may have been applied. Once the error leaves a policy it speaks for the whole
   * operation: `unknown` when any attempt may have been applied, even if the last one was refused.
   */
  outcome: Outcome;
  /** The provider's own error code. */
  readonly code: string | undefined;
  /**
   * How many attempts the operation made when it ended with this error. Set by the policy that
   * gave up; `undefined` on an error that has not left a policy yet.
   */
  attempts: number | undefined;

  /**
   * Whether new errors capture a stack trace. Default: `false`: a classified error keeps the original,
   * with its stack, as `cause`, and a fail-fast rejection (an open breaker) then costs a fraction of
   * what a stack capture does. Set to `true` while debugging to get stacks on every error.
   */
  static captureStackTraces = false;

  constructor(options: ResilientErrorOptions) {
    const message = options.message ?? defaultMessage(options);
    const errorOptions = options.cause === undefined ? undefined : { cause: options.cause };
    const limit = V8Error.stackTraceLimit;
    const skipStack = STACK_LIMIT_WRITABLE && !ResilientError.captureStackTraces;
    if (skipStack) V8Error.stackTraceLimit = 0;
    super(message, errorOptions);
    if (skipStack) V8Error.stackTraceLimit = limit;
    this.name = 'ResilientError';
    this.kind = options.kind;
    this.retryable = options.retryable ?? KIND_INFO[options.kind]?.retryable ?? false;
    this.service = options.service;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.requestId = options.requestId;
    this.outcome = options.outcome ?? 'unknown';
    this.code = options.code;
    this.attempts = undefined;
  }

  /** Whether `error` is a {@link ResilientError}, from this copy of the package or another. */
  static isInstance(error: unknown): error is ResilientError {
    return hasMarker(error, MARKER);
  }

  /** A JSON view with the fields a log wants; never the cause's internals. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      kind: this.kind,
      retryable: this.retryable,
      service: this.service,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      requestId: this.requestId,
      outcome: this.outcome,
      code: this.code,
      attempts: this.attempts,
    };
  }
}

/**
 * @internal Copies `options` with `kind` set and `outcome` defaulted, field by field: an object spread
 * here costs several microseconds per error on V8, more than the error itself.
 */
export function withKind(
  options: Omit<ResilientErrorOptions, 'kind'>,
  kind: ErrorKind,
  outcome: Outcome,
): ResilientErrorOptions {
  return {
    kind,
    message: options.message,
    retryable: options.retryable,
    service: options.service,
    status: options.status,
    retryAfterMs: options.retryAfterMs,
    requestId: options.requestId,
    outcome: options.outcome ?? outcome,
    code: options.code,
    cause: options.cause,
  };
}

/** `Error` with V8's `stackTraceLimit`. */
const V8Error = Error as unknown as { stackTraceLimit: number };

/** Whether this runtime lets us turn stack capture off for one construction (V8 does). */
const STACK_LIMIT_WRITABLE = ((): boolean => {
  try {
    const descriptor = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit');
    return descriptor !== undefined && descriptor.writable === true && typeof descriptor.value === 'number';
  } catch {
    return false;
  }
})();

/** Checks a `Symbol.for` marker (for error classes of other packages that follow the same pattern), so checks work across copies of the package. */
export function hasMarker(error: unknown, marker: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  try {
    return Symbol.for(marker) in error;
  } catch {
    // A revoked proxy, say: not one of ours.
    return false;
  }
}

function defaultMessage(options: ResilientErrorOptions): string {
  const where = options.service === undefined ? '' : ` from ${options.service}`;
  const status = options.status === undefined ? '' : ` (HTTP ${options.status})`;
  return `${options.kind} error${where}${status}`;
}
