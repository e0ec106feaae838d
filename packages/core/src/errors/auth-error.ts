import { hasMarker, ResilientError, type ResilientErrorOptions, withKind } from './resilient-error';

const MARKER = 'resilient.error.auth';
const symbol = Symbol.for(MARKER);

/**
 * The credentials were refused (`auth`: invalid, expired or revoked) or not allowed to do this
 * (`permission`). A retry cannot help; a person has to act.
 */
export class AuthError extends ResilientError {
  readonly [symbol] = true;

  constructor(options: Omit<ResilientErrorOptions, 'kind'> & { kind?: 'auth' | 'permission' }) {
    super(withKind(options, options.kind ?? 'auth', 'failed'));
    this.name = 'AuthError';
  }

  /** Whether `error` is an {@link AuthError}, from any copy of the package. */
  static override isInstance(error: unknown): error is AuthError {
    return hasMarker(error, MARKER);
  }
}
