import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  constantBackoff,
  decorrelatedJitterBackoff,
  exponentialBackoff,
  exponentialFullJitterBackoff,
} from './backoff';

const options = fc.record({
  baseDelayMs: fc.integer({ min: 0, max: 60_000 }),
  extra: fc.integer({ min: 0, max: 600_000 }),
  factor: fc.double({ min: 1, max: 10, noNaN: true }),
});
const retries = fc.integer({ min: 1, max: 10_000 });
const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('backoffs', () => {
  it('regression 7: every jittered delay is capped (no fixed `+ random * 500` without a cap)', () => {
    fc.assert(
      fc.property(
        options,
        retries,
        fc.integer({ min: 0, max: 1_000_000 }),
        random,
        (option, retry, previous, value) => {
          const maxDelayMs = option.baseDelayMs + option.extra;
          for (const backoff of [
            exponentialBackoff({ baseDelayMs: option.baseDelayMs, maxDelayMs, factor: option.factor }),
            exponentialFullJitterBackoff({
              baseDelayMs: option.baseDelayMs,
              maxDelayMs,
              factor: option.factor,
            }),
            decorrelatedJitterBackoff({ baseDelayMs: option.baseDelayMs, maxDelayMs }),
          ]) {
            const delay = backoff.next(retry, previous, value);
            expect(Number.isFinite(delay)).toBe(true);
            expect(delay).toBeGreaterThanOrEqual(0);
            expect(delay).toBeLessThanOrEqual(maxDelayMs);
          }
        },
      ),
    );
  });

  it('decorrelated jitter stays within [base, min(cap, 3 x previous)]', () => {
    fc.assert(
      fc.property(options, fc.integer({ min: 0, max: 1_000_000 }), random, (option, previous, value) => {
        const maxDelayMs = option.baseDelayMs + option.extra;
        const delay = decorrelatedJitterBackoff({ baseDelayMs: option.baseDelayMs, maxDelayMs }).next(
          2,
          previous,
          value,
        );
        const upper = Math.min(maxDelayMs, Math.max(previous > 0 ? previous : option.baseDelayMs, 0) * 3);
        expect(delay).toBeGreaterThanOrEqual(Math.min(option.baseDelayMs, maxDelayMs));
        expect(delay).toBeLessThanOrEqual(Math.max(upper, option.baseDelayMs));
      }),
    );
  });

  it('full jitter stays within [0, exponential delay]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), random, (retry, value) => {
        const full = exponentialFullJitterBackoff({ baseDelayMs: 100, maxDelayMs: 10_000 }).next(
          retry,
          0,
          value,
        );
        const plain = exponentialBackoff({ baseDelayMs: 100, maxDelayMs: 10_000 }).next(retry, 0, value);
        expect(full).toBeGreaterThanOrEqual(0);
        expect(full).toBeLessThanOrEqual(plain);
      }),
    );
  });

  it('exponential backoff doubles from the base and stops at the cap', () => {
    const backoff = exponentialBackoff({ baseDelayMs: 100, maxDelayMs: 1_000 });
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoff.next(retry, 0, 0.5))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoff.next(100_000, 0, 0.5)).toBe(1000);
  });

  it('spreads decorrelated delays with the random source', () => {
    const backoff = decorrelatedJitterBackoff({ baseDelayMs: 1000, maxDelayMs: 30_000 });
    expect(backoff.next(1, 0, 0)).toBe(1000);
    expect(backoff.next(1, 0, 0.5)).toBe(2000);
    expect(backoff.next(2, 2000, 0.999)).toBeLessThanOrEqual(6000);
  });

  it('constant backoff returns its delay', () => {
    expect(constantBackoff(250).next(7, 0, 0.3)).toBe(250);
  });

  it.each([
    [() => constantBackoff(-1), /delayMs must be a number from 0/],
    [() => exponentialBackoff({ baseDelayMs: Number.NaN }), /baseDelayMs/],
    [
      () => exponentialBackoff({ baseDelayMs: 100, maxDelayMs: 50 }),
      /maxDelayMs \(50\) must be at least baseDelayMs \(100\)/,
    ],
    [() => exponentialBackoff({ factor: 0.5 }), /factor must be a number from 1 to 100/],
    [() => decorrelatedJitterBackoff({ maxDelayMs: Number.POSITIVE_INFINITY }), /maxDelayMs/],
  ])('refuses bad options: %#', (build, message) => {
    expect(build).toThrow(message);
  });
});
