import { hasMarker, ResilientError, type ResilientErrorOptions, withKind } from './resilient-error';

const MARKER = 'resilient.error.rate-limit';
const symbol = Symbol.for(MARKER);

/**
 * The provider throttled us (`rate-limit`) or a daily or monthly quota ran out (`quota-exceeded`).
 * `retryAfterMs`, when the provider said, is how long until the limit resets.
 */
export class RateLimitError extends ResilientError {
  readonly [symbol] = true;

  constructor(options: Omit<ResilientErrorOptions, 'kind'> & { kind?: 'rate-limit' | 'quota-exceeded' }) {
    super(withKind(options, options.kind ?? 'rate-limit', 'failed'));
    this.name = 'RateLimitError';
  }

  /** Whether `error` is a {@link RateLimitError}, from any copy of the package. */
  static override isInstance(error: unknown): error is RateLimitError {
    return hasMarker(error, MARKER);
  }
}
