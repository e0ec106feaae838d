import { hasMarker, ResilientError } from './resilient-error';

const MARKER = 'resilient.error.circuit-open';
const symbol = Symbol.for(MARKER);

/**
 * A circuit breaker rejected the call without sending it (`outcome: 'not-sent'`). `retryAfterMs` says
 * when the breaker will let a probe through.
 */
export class CircuitOpenError extends ResilientError {
  readonly [symbol] = true;
  /** Whether the breaker was isolated by hand rather than opened by failures. */
  readonly isolated: boolean;

  constructor(options: { service?: string; retryAfterMs: number; isolated?: boolean }) {
    const isolated = options.isolated === true;
    super({
      kind: 'circuit-open',
      message: isolated
        ? `Circuit${options.service ? ` for ${options.service}` : ''} is isolated`
        : `Circuit${options.service ? ` for ${options.service}` : ''} is open; next probe in ${options.retryAfterMs} ms`,
      service: options.service,
      retryAfterMs: options.retryAfterMs,
      outcome: 'not-sent',
    });
    this.name = 'CircuitOpenError';
    this.isolated = isolated;
  }

  /** Whether `error` is a {@link CircuitOpenError}, from any copy of the package. */
  static override isInstance(error: unknown): error is CircuitOpenError {
    return hasMarker(error, MARKER);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), isolated: this.isolated };
  }
}
