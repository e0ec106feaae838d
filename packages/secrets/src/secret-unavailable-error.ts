import { redactText, scrubSecrets } from '@resilient/core';

const MARKER = 'resilient.secrets.unavailable';

/**
 * A secret source could not produce its secret (a secret manager was down or refused the request) and
 * had no recent value to fall back on. The message names the secret; the cause, scrubbed of
 * credentials, says what the source ran into.
 */
export class SecretUnavailableError extends Error {
  /** The name of the secret that could not be read. */
  readonly secretName: string;

  constructor(secretName: string, cause: unknown) {
    const reason = cause instanceof Error ? redactText(cause.message) : 'the source failed';
    super(`The secret ${secretName} could not be read: ${reason}`, { cause: scrubSecrets(cause) });
    this.name = 'SecretUnavailableError';
    this.secretName = secretName;
    Object.defineProperty(this, Symbol.for(MARKER), { value: true });
  }

  /** Whether `error` is a {@link SecretUnavailableError}, from any copy of the package. */
  static isInstance(error: unknown): error is SecretUnavailableError {
    return typeof error === 'object' && error !== null && Symbol.for(MARKER) in error;
  }

  /** A JSON view for logs: the name and message, never the cause's internals. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, secretName: this.secretName };
  }
}
