import { checkKeys, checkObject, optionalNumber, show } from '../../internal/validate';

/** How long a breaker stays open, growing on repeated failed probes. */
export interface BreakDurationOptions {
  /** The first break, in milliseconds. Default: 5,000. */
  initialMs?: number;
  /** The longest break, in milliseconds. Default: 60,000. */
  maxMs?: number;
  /** Growth per failed probe in a row. Default: 2 (1 keeps it fixed). */
  factor?: number;
  /** Random spread, from 0 to 1: a break of `d` lasts between `d * (1 - jitter)` and `d * (1 + jitter)`. Default: 0.1. */
  jitter?: number;
}

/** A resolved break duration: what {@link breakDurationFor} computes from. */
export interface BreakDuration {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
  readonly jitter: number;
}

/** @internal A number means a fixed break without jitter. */
export function resolveBreakDuration(value: number | BreakDurationOptions | undefined): BreakDuration {
  if (typeof value === 'number') {
    const fixed = optionalNumber('circuitBreaker', 'breakDuration', value, 5000, {
      min: 1,
      max: 2_147_483_647,
    });
    return { initialMs: fixed, maxMs: fixed, factor: 1, jitter: 0 };
  }
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw new TypeError(
      `circuitBreaker: breakDuration must be a number of milliseconds from 1 to 2147483647, or an object with initialMs, maxMs, factor and jitter; got ${show(value)}`,
    );
  }
  const record = checkObject('circuitBreaker', 'breakDuration', value);
  checkKeys('circuitBreaker breakDuration', record, ['initialMs', 'maxMs', 'factor', 'jitter']);
  const givenMaxMs = optionalNumber('circuitBreaker', 'breakDuration.maxMs', record.maxMs, Number.NaN, {
    min: 1,
    max: 2_147_483_647,
  });
  // Only maxMs given (below the default first break): start there rather than refuse a default.
  const initialMs = optionalNumber(
    'circuitBreaker',
    'breakDuration.initialMs',
    record.initialMs,
    Number.isNaN(givenMaxMs) ? 5000 : Math.min(5000, givenMaxMs),
    { min: 1, max: 2_147_483_647 },
  );
  const maxMs = Number.isNaN(givenMaxMs) ? Math.max(60_000, initialMs) : givenMaxMs;
  if (maxMs < initialMs)
    throw new RangeError(
      `circuitBreaker: breakDuration.maxMs (${maxMs}) must be at least breakDuration.initialMs (${initialMs})`,
    );
  const factor = optionalNumber('circuitBreaker', 'breakDuration.factor', record.factor, 2, {
    min: 1,
    max: 100,
  });
  const jitter = optionalNumber('circuitBreaker', 'breakDuration.jitter', record.jitter, 0.1, {
    min: 0,
    max: 1,
  });
  return { initialMs, maxMs, factor, jitter };
}

/**
 * The break after `opens` openings in a row (1 for the first), before jitter: `initialMs * factor^(opens-1)`,
 * capped at `maxMs`. Pure.
 */
export function breakDurationFor(duration: BreakDuration, opens: number, random: number): number {
  const base = Math.min(
    duration.maxMs,
    duration.initialMs * duration.factor ** Math.min(Math.max(opens - 1, 0), 1000),
  );
  const capped = Number.isFinite(base) ? base : duration.maxMs;
  // A random source that strays out of [0, 1] (or gives NaN) must not make the break NaN or negative.
  const unit = random >= 0 && random <= 1 ? random : 0.5;
  const spread = duration.jitter === 0 ? 1 : 1 + duration.jitter * (unit * 2 - 1);
  return Math.max(1, Math.round(capped * spread));
}
