import { RejectedError, rateLimiter } from '@resilient/core';
import { FakeClock } from '@resilient/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GCRA_TOLERANCE_MS, type GcraBucket, type GcraState, gcra, gcraEmissionMs } from '../src/gcra';
import { arrivalsArbitrary, bucketArbitrary, runModel } from './gcra-arbitraries';

const NOW = 1_767_225_600_000; // 2026-01-01, an epoch-ms magnitude like Date.now()'s

/** `count` calls at the same instant; the waits, or `rejected:<retryAfterMs>`. */
function burstOf(bucket: GcraBucket, count: number, now = NOW): (number | string)[] {
  return runModel(
    bucket,
    Array.from({ length: count }, () => now),
  ).map((result) => (result.allowed ? result.waitMs : `rejected:${result.waitMs}`));
}

describe('gcra', () => {
  it('lets a burst go at once after a quiet spell, then one call per emission interval', () => {
    const bucket = { limit: 5, intervalMs: 1_000, burst: 5, maxWaitMs: 10_000 };
    expect(burstOf(bucket, 8)).toEqual([0, 0, 0, 0, 0, 200, 400, 600]);
  });

  it('rejects past maxWaitMs without reserving, with the time until a slot is free', () => {
    const bucket = { limit: 1, intervalMs: 1_000, burst: 1, maxWaitMs: 300 };
    const first = gcra(undefined, NOW, bucket);
    const rejected = gcra(first.state, NOW, bucket);
    expect(rejected).toEqual({ allowed: false, waitMs: 1_000, state: first.state });
    expect(gcra(first.state, NOW + 699, bucket).allowed).toBe(false);
    expect(gcra(first.state, NOW + 700, bucket)).toMatchObject({ allowed: true, waitMs: 300 });
    expect(gcra(first.state, NOW + 1_000, bucket)).toMatchObject({ allowed: true, waitMs: 0 });
  });

  it('answers a rejection with a whole number of ms', () => {
    const bucket = { limit: 1, intervalMs: 1_000, burst: 1, maxWaitMs: 0 };
    const first = gcra(undefined, NOW, bucket);
    // The wait is ceil(999.5) = 1000 ms: 1 ms more than allowed.
    expect(gcra(first.state, NOW + 0.5, { ...bucket, maxWaitMs: 999 })).toMatchObject({
      allowed: false,
      waitMs: 1_000,
    });
    expect(gcra(first.state, NOW + 0.5, { ...bucket, maxWaitMs: 1_000 })).toMatchObject({
      allowed: true,
      waitMs: 1_000,
    });
  });

  it('keeps the burst boundary exact with an emission interval that no double holds', () => {
    // One stored TAT, advanced by 1000/7 twenty times at today's magnitude, drifts past the boundary
    // and tells the burst's last call to wait 1 ms; counting slots from an anchor does not.
    const bucket = { limit: 7, intervalMs: 1_000, burst: 20, maxWaitMs: 10_000 };
    expect(burstOf(bucket, 22)).toEqual([...Array.from({ length: 20 }, () => 0), 143, 286]);
    // A quiet spell of exactly the reserved slots' worth refills the bucket completely.
    const after = runModel(bucket, [...Array.from({ length: 20 }, () => NOW), NOW + Math.ceil(20_000 / 7)]);
    expect(after.at(-1)).toMatchObject({ allowed: true, waitMs: 0 });
    expect(after.at(-1)?.state).toEqual({
      start: NOW + Math.ceil(20_000 / 7),
      taken: 1,
      emissionMs: 1_000 / 7,
    });
  });

  it('lets the whole part of a fractional burst go at once', () => {
    expect(burstOf({ limit: 2, intervalMs: 1_000, burst: 2.5, maxWaitMs: 0 }, 3)).toEqual([
      0,
      0,
      'rejected:250',
    ]);
  });

  it('refills: a bucket whose slots have all passed is full again', () => {
    const bucket = { limit: 10, intervalMs: 1_000, burst: 2, maxWaitMs: 0 };
    const [, second] = runModel(bucket, [NOW, NOW]);
    expect(gcra(second!.state, NOW + 199, bucket)).toMatchObject({ allowed: true, waitMs: 0 });
    const full = gcra(second!.state, NOW + 200, bucket);
    expect(full.state).toEqual({ start: NOW + 200, taken: 1, emissionMs: 100 });
  });

  it('keeps the reserved time when the rate changes, counting slots at the new rate from there', () => {
    const slow = { limit: 1, intervalMs: 1_000, burst: 1, maxWaitMs: 10_000 };
    const [, second] = runModel(slow, [NOW, NOW]); // the bucket is reserved up to NOW + 2000
    const fast = { ...slow, limit: 10 };
    expect(gcra(second!.state, NOW, fast)).toEqual({
      allowed: true,
      waitMs: 2_000,
      state: { start: NOW + 2_000, taken: 1, emissionMs: 100 },
    });
  });

  it('caps an absurdly slow rate instead of computing NaN', () => {
    const bucket = { limit: Number.MIN_VALUE, intervalMs: 86_400_000, burst: 1, maxWaitMs: 0 };
    const [first, second] = runModel(bucket, [NOW, NOW]);
    expect(first).toMatchObject({ allowed: true, waitMs: 0 });
    expect(second).toMatchObject({ allowed: false, waitMs: Number.MAX_SAFE_INTEGER });
  });

  describe('properties', () => {
    it('answers integer waits, never NaN or negative; a rejection with at least 1 ms', () => {
      fc.assert(
        fc.property(bucketArbitrary, arrivalsArbitrary, (bucket, arrivals) => {
          for (const result of runModel(bucket, arrivals)) {
            expect(Number.isSafeInteger(result.waitMs)).toBe(true);
            expect(result.waitMs).toBeGreaterThanOrEqual(result.allowed ? 0 : 1);
            if (result.allowed) expect(result.waitMs).toBeLessThanOrEqual(bucket.maxWaitMs);
          }
        }),
      );
    });

    it('serves allowed calls in arrival order: slot times never go back', () => {
      fc.assert(
        fc.property(bucketArbitrary, arrivalsArbitrary, (bucket, arrivals) => {
          const slots = allowedSlots(runModel(bucket, arrivals));
          for (let index = 1; index < slots.length; index++) {
            expect(slots[index]!).toBeGreaterThanOrEqual(slots[index - 1]!);
          }
        }),
      );
    });

    it('never lets more than burst + window / T calls into any window of slots', () => {
      fc.assert(
        fc.property(bucketArbitrary, arrivalsArbitrary, (bucket, arrivals) => {
          const emissionMs = gcraEmissionMs(bucket);
          const slots = allowedSlots(runModel(bucket, arrivals));
          for (let first = 0; first < slots.length; first++) {
            for (let last = first; last < slots.length; last++) {
              // Waits are rounded up to whole ms: a slot may go up to 1 ms after its exact time.
              const windowMs = slots[last]! - slots[first]! + 1 + GCRA_TOLERANCE_MS;
              expect(last - first + 1).toBeLessThanOrEqual(bucket.burst + windowMs / emissionMs + 1e-9);
            }
          }
        }),
      );
    });

    it('sustains exactly the limit under saturation: slot n goes at start + (n - burst) * T', () => {
      fc.assert(
        fc.property(bucketArbitrary, fc.integer({ min: 1, max: 300 }), (bucket, count) => {
          const patient = { ...bucket, maxWaitMs: Number.MAX_SAFE_INTEGER };
          const emissionMs = gcraEmissionMs(patient);
          const results = runModel(
            patient,
            Array.from({ length: count }, () => NOW),
          );
          results.forEach((result, index) => {
            const exact = Math.max(0, (index + 1 - patient.burst) * emissionMs);
            expect(result.allowed).toBe(true);
            expect(Math.abs(result.waitMs - exact)).toBeLessThan(1 + 1e-6);
          });
        }),
      );
    });

    it('a rejected call retried after its waitMs goes at once, and fits within maxWaitMs sooner', () => {
      fc.assert(
        fc.property(bucketArbitrary, arrivalsArbitrary, (bucket, arrivals) => {
          let state: GcraState | undefined;
          for (const now of arrivals) {
            const result = gcra(state, now, bucket);
            if (!result.allowed) {
              expect(result.waitMs).toBeGreaterThan(bucket.maxWaitMs);
              expect(gcra(state, now + result.waitMs, bucket)).toMatchObject({ allowed: true, waitMs: 0 });
              const fits = result.waitMs - Math.floor(bucket.maxWaitMs);
              expect(gcra(state, now + fits, bucket).allowed).toBe(true);
              if (fits > 1) expect(gcra(state, now + fits - 1, bucket).allowed).toBe(false);
            }
            state = result.state;
          }
        }),
      );
    });

    it("decides exactly like core's local token bucket where both compute exactly", async () => {
      // Emission intervals that are powers of two keep both algorithms' arithmetic exact.
      const exactBucket = fc.record({
        limit: fc.integer({ min: 1, max: 20 }),
        emissionMs: fc.constantFrom(1, 2, 4, 16, 64, 256),
        burst: fc.integer({ min: 1, max: 10 }),
        maxWaitMs: fc.integer({ min: 0, max: 3_000 }),
      });
      const gaps = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300 })), {
        minLength: 1,
        maxLength: 40,
      });
      await fc.assert(
        fc.asyncProperty(exactBucket, gaps, async (exact, gapList) => {
          const bucket = {
            limit: exact.limit,
            intervalMs: exact.limit * exact.emissionMs,
            burst: exact.burst,
            maxWaitMs: exact.maxWaitMs,
          };
          const clock = new FakeClock(NOW);
          const policy = rateLimiter({ ...bucket, clock });
          const core: (number | string)[] = [];
          const calls: Promise<void>[] = [];
          const arrivals: number[] = [];
          for (const gap of gapList) {
            await clock.advance(gap);
            const index = core.length;
            const arrival = clock.now();
            arrivals.push(arrival);
            core.push('pending');
            calls.push(
              policy
                .execute(async () => {
                  core[index] = clock.now() - arrival;
                })
                .catch((error: unknown) => {
                  core[index] = RejectedError.isInstance(error) ? `rejected:${error.retryAfterMs}` : 'failed';
                }),
            );
            await clock.flush();
          }
          await clock.runAll();
          await Promise.all(calls);
          const model = runModel(bucket, arrivals).map((result) =>
            // Both answer a rejection with the whole wait until a slot is free.
            result.allowed ? result.waitMs : `rejected:${result.waitMs}`,
          );
          expect(model).toEqual(core);
        }),
        { numRuns: 200 },
      );
    });
  });
});

/** The slot times (arrival + wait) of the allowed calls, in arrival order. */
function allowedSlots(results: readonly { allowed: boolean; waitMs: number; now: number }[]): number[] {
  return results.filter((result) => result.allowed).map((result) => result.now + result.waitMs);
}
