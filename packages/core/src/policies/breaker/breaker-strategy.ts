import { checkKeys, checkObject, optionalNumber, show } from '../../internal/validate';

/**
 * @internal How a closed breaker decides to open. `success` and `failure` record one call's result;
 * `failure` returns true when the breaker should open. Strategies read time only where they must.
 */
/** What a strategy reads the time from: a `Clock`, or anything with `now()`. */
export interface TimeSource {
  now(): number;
}

export interface BreakerStrategy {
  success(time: TimeSource): void;
  failure(time: TimeSource): boolean;
  reset(): void;
  /** Whether `success` needs the time (the sampling strategy does). */
  readonly timed: boolean;
}

/** Open after `threshold` provider failures in a row. */
export interface ConsecutiveStrategyOptions {
  type: 'consecutive';
  /** Provider failures in a row that open the breaker. Default: 5. */
  threshold?: number;
}

/** Open when the failure ratio over a sliding window passes a threshold, given enough calls. */
export interface SamplingStrategyOptions {
  type: 'sampling';
  /** The failure ratio that opens the breaker, from 0 (exclusive) to 1. Default: 0.1. */
  failureRatio?: number;
  /** The sliding window, in milliseconds. Default: 30,000. */
  windowMs?: number;
  /** Calls needed in the window before the ratio counts, so one failure cannot open it. Default: 100. */
  minimumThroughput?: number;
  /** How many buckets the window is cut into. Default: 10. */
  buckets?: number;
}

/** The strategies a circuit breaker can use. */
export type BreakerStrategyOptions = ConsecutiveStrategyOptions | SamplingStrategyOptions;

/** @internal */
export function createStrategy(
  options: BreakerStrategyOptions | undefined,
): BreakerStrategy & { windowMs?: number } {
  // `null` is refused like any other non-object, not taken for the default.
  const record: Record<string, unknown> =
    options === undefined ? { type: 'consecutive' } : checkStrategyObject(options as unknown);
  if (record.type === 'consecutive') {
    checkKeys('circuitBreaker strategy', record, ['type', 'threshold']);
    const threshold = optionalNumber('circuitBreaker', 'strategy.threshold', record.threshold, 5, {
      min: 1,
      max: 1_000_000,
      integer: true,
    });
    return new ConsecutiveStrategy(threshold);
  }
  if (record.type === 'sampling') {
    checkKeys('circuitBreaker strategy', record, [
      'type',
      'failureRatio',
      'windowMs',
      'minimumThroughput',
      'buckets',
    ]);
    const failureRatio = optionalNumber('circuitBreaker', 'strategy.failureRatio', record.failureRatio, 0.1, {
      min: 0,
      max: 1,
      exclusiveMin: true,
    });
    const windowMs = optionalNumber('circuitBreaker', 'strategy.windowMs', record.windowMs, 30_000, {
      min: 10,
      max: 86_400_000,
    });
    const minimumThroughput = optionalNumber(
      'circuitBreaker',
      'strategy.minimumThroughput',
      record.minimumThroughput,
      100,
      { min: 1, max: 1_000_000_000, integer: true },
    );
    const buckets = optionalNumber('circuitBreaker', 'strategy.buckets', record.buckets, 10, {
      min: 1,
      max: 1000,
      integer: true,
    });
    return new SamplingStrategy(failureRatio, windowMs, minimumThroughput, buckets);
  }
  throw new TypeError(
    `circuitBreaker: strategy.type must be "consecutive" or "sampling"; got ${JSON.stringify(record.type)}`,
  );
}

function checkStrategyObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(
      `circuitBreaker: strategy must be an object, { type: "consecutive", threshold } or { type: "sampling", failureRatio, windowMs, minimumThroughput, buckets }; got ${show(value)}`,
    );
  }
  return checkObject('circuitBreaker', 'strategy', value);
}

/** @internal */
export class ConsecutiveStrategy implements BreakerStrategy {
  readonly timed = false;
  private failures = 0;

  constructor(readonly threshold: number) {}

  success(): void {
    this.failures = 0;
  }

  failure(): boolean {
    this.failures++;
    return this.failures >= this.threshold;
  }

  reset(): void {
    this.failures = 0;
  }
}

/**
 * @internal Counts per time bucket in a ring; buckets are recycled lazily when a call lands in them, so
 * no timer runs and an idle breaker costs nothing.
 */
export class SamplingStrategy implements BreakerStrategy {
  readonly timed = true;
  private readonly bucketMs: number;
  /**
   * One buffer for the ring, to keep a breaker small: `[0, n)` holds each bucket's epoch (its start
   * time divided by the bucket length), `[n, 2n)` its successes and `[2n, 3n)` its failures.
   */
  private readonly counts: Float64Array;

  constructor(
    readonly failureRatio: number,
    readonly windowMs: number,
    readonly minimumThroughput: number,
    readonly bucketCount: number,
  ) {
    this.bucketMs = windowMs / bucketCount;
    this.counts = new Float64Array(bucketCount * 3);
    this.counts.fill(-1, 0, bucketCount);
  }

  success(time: TimeSource): void {
    this.counts[this.bucketCount + this.bucket(time.now())]!++;
  }

  /** Records a success at a clock reading the caller already has. */
  successAt(time: number): void {
    this.counts[this.bucketCount + this.bucket(time)]!++;
  }

  failure(source: TimeSource): boolean {
    const time = source.now();
    const count = this.bucketCount;
    const counts = this.counts;
    counts[2 * count + this.bucket(time)]!++;
    const oldest = Math.floor(time / this.bucketMs) - count + 1;
    let successes = 0;
    let failures = 0;
    for (let position = 0; position < count; position++) {
      if (counts[position]! < oldest) continue;
      successes += counts[count + position]!;
      failures += counts[2 * count + position]!;
    }
    const total = successes + failures;
    return total >= this.minimumThroughput && failures / total >= this.failureRatio;
  }

  reset(): void {
    this.counts.fill(-1, 0, this.bucketCount);
    this.counts.fill(0, this.bucketCount);
  }

  private bucket(time: number): number {
    const count = this.bucketCount;
    const epoch = Math.floor(time / this.bucketMs);
    const index = ((epoch % count) + count) % count;
    const counts = this.counts;
    if (counts[index] !== epoch) {
      counts[index] = epoch;
      counts[count + index] = 0;
      counts[2 * count + index] = 0;
    }
    return index;
  }
}
