import { ResilientError } from '@resilient/core';

const MARKER = 'resilient.error.email-validation';
const symbol = Symbol.for(MARKER);

/**
 * The client refused a message or a send option before calling any provider: nothing was sent
 * (`kind: 'invalid-request'`, `outcome: 'not-sent'`, never retryable). `field` names what to fix, such as
 * `message.to[1]` or `options.idempotencyKey`. The message never repeats the refused value, so
 * addresses and keys stay out of logs.
 */
export class EmailValidationError extends ResilientError {
  readonly [symbol] = true;
  /** The field to fix, such as `message.subject` or `messages[2].to`. */
  readonly field: string;

  constructor(options: { field: string; problem: string }) {
    super({
      kind: 'invalid-request',
      outcome: 'not-sent',
      retryable: false,
      service: 'email',
      message: `email: ${options.field} ${options.problem}`,
    });
    this.name = 'EmailValidationError';
    this.field = options.field;
  }

  /** Whether `error` is an {@link EmailValidationError}, from any copy of the package. */
  static override isInstance(error: unknown): error is EmailValidationError {
    return ResilientError.isInstance(error) && hasOwnMarker(error, symbol);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), field: this.field };
  }
}

/** @internal Whether `error` carries `marker`, never throwing. */
export function hasOwnMarker(error: object, marker: symbol): boolean {
  try {
    return marker in error;
  } catch {
    return false;
  }
}
