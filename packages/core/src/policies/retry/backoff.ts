import { checkNumber, optionalNumber } from '../../internal/validate';

/**
 * A backoff: the delay before retry number `retry` (1 for the first retry). Pure: the same inputs give
 * the same delay. `previousDelayMs` is the delay it returned for the retry before (0 before the first).
 * `random` is a number in `[0, 1)`.
 */
export interface Backoff {
  /** A short name, for reports. */
  readonly name: string;
  /** The delay cap, in milliseconds. */
  readonly maxDelayMs: number;
  next(retry: number, previousDelayMs: number, random: number): number;
}

/** Options of the exponential backoffs. */
export interface ExponentialBackoffOptions {
  /** The first delay (or the base of the jitter range), in milliseconds. Default: 1000. */
  baseDelayMs?: number;
  /** The cap on every delay, in milliseconds. Default: 30,000. */
  maxDelayMs?: number;
  /** The growth factor per retry. Default: 2. */
  factor?: number;
}

const MAX_DELAY_LIMIT = 2_147_483_647;

function resolveExponential(owner: string, options: ExponentialBackoffOptions) {
  const baseDelayMs = optionalNumber(owner, 'baseDelayMs', options.baseDelayMs, 1000, {
    min: 0,
    max: MAX_DELAY_LIMIT,
  });
  const maxDelayMs = optionalNumber(owner, 'maxDelayMs', options.maxDelayMs, 30_000, {
    min: 0,
    max: MAX_DELAY_LIMIT,
  });
  const factor = optionalNumber(owner, 'factor', options.factor, 2, { min: 1, max: 100 });
  if (maxDelayMs < baseDelayMs) {
    throw new RangeError(
      `${owner}: maxDelayMs (${maxDelayMs}) must be at least baseDelayMs (${baseDelayMs})`,
    );
  }
  return { baseDelayMs, maxDelayMs, factor };
}

/** `base * factor^(retry - 1)`, capped; the exponent is clamped so huge retry numbers stay finite. */
function exponential(base: number, factor: number, retry: number, cap: number): number {
  const value = base * factor ** Math.min(Math.max(retry - 1, 0), 1000);
  return value > cap || !Number.isFinite(value) ? cap : value;
}

/** The same delay before every retry. */
export function constantBackoff(delayMs: number): Backoff {
  const delay = checkNumber('constantBackoff', 'delayMs', delayMs, { min: 0, max: MAX_DELAY_LIMIT });
  return { name: 'constant', maxDelayMs: delay, next: () => delay };
}

/** `base * factor^(retry - 1)`, capped at `maxDelayMs`; no jitter. */
export function exponentialBackoff(options: ExponentialBackoffOptions = {}): Backoff {
  const { baseDelayMs, maxDelayMs, factor } = resolveExponential('exponentialBackoff', options);
  return {
    name: 'exponential',
    maxDelayMs,
    next: (retry) => exponential(baseDelayMs, factor, retry, maxDelayMs),
  };
}

/**
 * "Full jitter": a uniform random delay between 0 and the exponential delay, capped. Spreads a crowd of
 * clients best, at the price of some near-zero delays.
 */
export function exponentialFullJitterBackoff(options: ExponentialBackoffOptions = {}): Backoff {
  const { baseDelayMs, maxDelayMs, factor } = resolveExponential('exponentialFullJitterBackoff', options);
  return {
    name: 'exponential-full-jitter',
    maxDelayMs,
    next: (retry, _previous, random) =>
      Math.floor(random * exponential(baseDelayMs, factor, retry, maxDelayMs)),
  };
}

/**
 * "Decorrelated jitter" (the default): each delay is random between the base and three times the
 * previous delay, capped, so delays grow about as fast as exponential backoff but clients that failed
 * together drift apart.
 */
export function decorrelatedJitterBackoff(options: Omit<ExponentialBackoffOptions, 'factor'> = {}): Backoff {
  const { baseDelayMs, maxDelayMs } = resolveExponential('decorrelatedJitterBackoff', {
    ...options,
    factor: 3,
  });
  return {
    name: 'decorrelated-jitter',
    maxDelayMs,
    next: (_retry, previousDelayMs, random) => {
      const previous = previousDelayMs > 0 ? previousDelayMs : baseDelayMs;
      const upper = Math.min(maxDelayMs, previous * 3);
      const delay = baseDelayMs + random * Math.max(0, upper - baseDelayMs);
      return Math.min(maxDelayMs, Math.floor(delay));
    },
  };
}

/** @internal Checks a user-supplied backoff. */
export function checkBackoff(owner: string, value: unknown): Backoff {
  if (typeof value !== 'object' || value === null || typeof (value as Backoff).next !== 'function') {
    throw new TypeError(
      `${owner}: backoff must be a Backoff, such as decorrelatedJitterBackoff() or constantBackoff(500)`,
    );
  }
  return value as Backoff;
}
