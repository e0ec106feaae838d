import { redactText } from '@resilient/core';

const MARKER = 'resilient.secrets-doppler.error';

/**
 * Why Doppler did not give a secret: `access-denied` (401 or 403: the token is invalid, revoked, or
 * not scoped to the project and config), `throttled` (429), `malformed` (an answer that is not the
 * JSON Doppler documents), `unreachable` (the network, a timeout, a 5xx) or `failed` (anything else).
 */
export type DopplerFailure = 'access-denied' | 'throttled' | 'malformed' | 'unreachable' | 'failed';

/**
 * Doppler failed to give a secret. It names the secret and says why, never the secret's value nor the
 * service token. The source rejects with a `SecretUnavailableError` whose `cause` is this error, once no
 * cached value is fresh enough to serve instead.
 */
export class DopplerError extends Error {
  /** The secret's name, as the source names it. */
  readonly secretName: string;
  /** Why it failed. */
  readonly reason: DopplerFailure;
  /** The HTTP status, when Doppler answered. */
  readonly status: number | undefined;

  constructor(secretName: string, reason: DopplerFailure, detail: string, status?: number) {
    super(`Doppler could not give the secret ${secretName}: ${reason} (${redactText(detail)})`);
    this.name = 'DopplerError';
    this.secretName = secretName;
    this.reason = reason;
    this.status = status;
    Object.defineProperty(this, Symbol.for(MARKER), { value: true });
  }

  /** Whether `error` is a {@link DopplerError}, from any copy of the package. */
  static isInstance(error: unknown): error is DopplerError {
    return typeof error === 'object' && error !== null && Symbol.for(MARKER) in error;
  }
}
