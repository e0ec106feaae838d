/** fast-check arbitraries shared by the GCRA model's tests and the Lua script's. */
import fc from 'fast-check';
import { type GcraBucket, type GcraResult, type GcraState, gcra } from '../src/gcra';

const maxWaitArbitrary = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 10_000 }),
  fc.constant(2_147_483_647),
);

/** Buckets across the range core accepts that matters: fractional rates and bursts included. */
const plainBucketArbitrary: fc.Arbitrary<GcraBucket> = fc.record({
  limit: fc.oneof(
    fc.integer({ min: 1, max: 1_000 }),
    fc.double({ min: 0.01, max: 1_000, noNaN: true, noDefaultInfinity: true }),
  ),
  intervalMs: fc.oneof(fc.constantFrom(1_000, 60_000), fc.integer({ min: 1, max: 60_000 })),
  burst: fc.oneof(
    fc.integer({ min: 1, max: 50 }),
    fc.double({ min: 1, max: 50, noNaN: true, noDefaultInfinity: true }),
  ),
  maxWaitMs: maxWaitArbitrary,
});

/**
 * Buckets whose emission interval sits just above or below a whole millisecond, so that slots fall
 * within a hair of the rounding boundaries, where a different tolerance or order of operations shows.
 */
const edgeBucketArbitrary: fc.Arbitrary<GcraBucket> = fc
  .record({
    wholeMs: fc.integer({ min: 1, max: 500 }),
    fraction: fc.constantFrom(0, 1e-9, 1e-7, 2e-6, 5e-4, 0.5, 1 - 1e-7),
    intervalMs: fc.constantFrom(1_000, 60_000),
    burst: fc.integer({ min: 1, max: 10 }),
    maxWaitMs: maxWaitArbitrary,
  })
  .map(({ wholeMs, fraction, intervalMs, burst, maxWaitMs }) => ({
    limit: intervalMs / (wholeMs + fraction),
    intervalMs,
    burst,
    maxWaitMs,
  }));

/** Buckets for the GCRA's properties. */
export const bucketArbitrary: fc.Arbitrary<GcraBucket> = fc.oneof(plainBucketArbitrary, edgeBucketArbitrary);

/** Arrival times: epoch milliseconds of today's magnitude, non-decreasing, often several at once. */
export const arrivalsArbitrary: fc.Arbitrary<number[]> = fc
  .tuple(
    fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
    fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 5_000 })), {
      minLength: 1,
      maxLength: 80,
    }),
  )
  .map(([start, gaps]) => {
    let now = start;
    return gaps.map((gap) => {
      now += gap;
      return now;
    });
  });

/** One call of a sequence run through the model. */
export interface Decided extends GcraResult {
  readonly now: number;
}

/** Runs `arrivals` through the model from an empty bucket. */
export function runModel(bucket: GcraBucket, arrivals: readonly number[]): Decided[] {
  let state: GcraState | undefined;
  return arrivals.map((now) => {
    const result = gcra(state, now, bucket);
    state = result.state;
    return { ...result, now };
  });
}
