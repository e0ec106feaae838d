import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { httpError, settle } from '../../../test/helpers';
import { FakeClock } from '../../clock/fake-clock';
import { type BreakDuration, breakDurationFor, resolveBreakDuration } from './break-duration';
import { circuitBreaker } from './circuit-breaker';

const growing: BreakDuration = { initialMs: 1000, maxMs: 30_000, factor: 2, jitter: 0 };

describe('resolveBreakDuration', () => {
  it('should default to 5 s growing x2 up to 60 s with 10% jitter', () => {
    expect(resolveBreakDuration(undefined)).toEqual({
      initialMs: 5000,
      maxMs: 60_000,
      factor: 2,
      jitter: 0.1,
    });
    expect(resolveBreakDuration({})).toEqual({ initialMs: 5000, maxMs: 60_000, factor: 2, jitter: 0.1 });
  });

  it('should take a number as a fixed break without jitter', () => {
    expect(resolveBreakDuration(2500)).toEqual({ initialMs: 2500, maxMs: 2500, factor: 1, jitter: 0 });
  });

  it('should raise the default maxMs to a longer initialMs', () => {
    expect(resolveBreakDuration({ initialMs: 120_000 }).maxMs).toBe(120_000);
  });

  it('should start at maxMs when only a maxMs below the default first break is given', () => {
    expect(resolveBreakDuration({ maxMs: 1000 })).toEqual({
      initialMs: 1000,
      maxMs: 1000,
      factor: 2,
      jitter: 0.1,
    });
    expect(resolveBreakDuration({ maxMs: 20_000 }).initialMs).toBe(5000);
  });

  it.each<[string, unknown, ErrorConstructor, RegExp]>([
    [
      'a zero number',
      0,
      RangeError,
      /circuitBreaker: breakDuration must be a number from 1 to 2147483647; got 0/,
    ],
    ['a negative number', -100, RangeError, /breakDuration must be a number from 1 to 2147483647; got -100/],
    ['NaN', Number.NaN, RangeError, /breakDuration must be a number from 1 to 2147483647; got NaN/],
    [
      'Infinity',
      Number.POSITIVE_INFINITY,
      RangeError,
      /breakDuration must be a number from 1 to 2147483647; got Infinity/,
    ],
    [
      'a string',
      '1s',
      TypeError,
      /breakDuration must be a number of milliseconds from 1 to 2147483647, or an object with initialMs, maxMs, factor and jitter; got "1s"/,
    ],
    ['a boolean', true, TypeError, /breakDuration must be a number of milliseconds .*; got true/],
    ['an array', [1000], TypeError, /breakDuration must be a number of milliseconds .*; got an array/],
    [
      'a negative initialMs',
      { initialMs: -1 },
      RangeError,
      /breakDuration\.initialMs must be a number from 1 to 2147483647; got -1/,
    ],
    [
      'a string initialMs',
      { initialMs: '5000' },
      TypeError,
      /breakDuration\.initialMs must be a number from 1 to 2147483647; got "5000"/,
    ],
    [
      'a NaN maxMs',
      { maxMs: Number.NaN },
      RangeError,
      /breakDuration\.maxMs must be a number from 1 to 2147483647; got NaN/,
    ],
    [
      'a too long maxMs',
      { maxMs: 2 ** 31 },
      RangeError,
      /breakDuration\.maxMs must be a number from 1 to 2147483647; got 2147483648/,
    ],
    [
      'a maxMs below initialMs',
      { initialMs: 10_000, maxMs: 5000 },
      RangeError,
      /breakDuration\.maxMs \(5000\) must be at least breakDuration\.initialMs \(10000\)/,
    ],
    [
      'a factor below 1',
      { factor: 0.5 },
      RangeError,
      /breakDuration\.factor must be a number from 1 to 100; got 0\.5/,
    ],
    [
      'an Infinity factor',
      { factor: Number.POSITIVE_INFINITY },
      RangeError,
      /breakDuration\.factor must be a number from 1 to 100; got Infinity/,
    ],
    [
      'a negative jitter',
      { jitter: -0.1 },
      RangeError,
      /breakDuration\.jitter must be a number from 0 to 1; got -0\.1/,
    ],
    [
      'a jitter above 1',
      { jitter: 2 },
      RangeError,
      /breakDuration\.jitter must be a number from 0 to 1; got 2/,
    ],
    [
      'an unknown option',
      { initial: 1000 },
      TypeError,
      /circuitBreaker breakDuration: unknown option "initial"; accepted options are initialMs, maxMs, factor, jitter/,
    ],
  ])('should refuse %s, naming the option and its range', (_, value, type, message) => {
    expect(() => resolveBreakDuration(value as never)).toThrow(type);
    expect(() => resolveBreakDuration(value as never)).toThrow(message);
    expect(() => circuitBreaker({ breakDuration: value as never })).toThrow(message);
  });
});

describe('breakDurationFor', () => {
  it('should grow by the factor on every opening in a row', () => {
    expect([1, 2, 3, 4, 5].map((opens) => breakDurationFor(growing, opens, 0.5))).toEqual([
      1000, 2000, 4000, 8000, 16_000,
    ]);
  });

  it('should be capped at maxMs', () => {
    expect([5, 6, 7, 100].map((opens) => breakDurationFor(growing, opens, 0.5))).toEqual([
      16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('should stay finite and capped for an opening count far beyond any growth', () => {
    const steep: BreakDuration = { initialMs: 1000, maxMs: 60_000, factor: 100, jitter: 0 };
    expect(breakDurationFor(steep, 1_000_000, 0.5)).toBe(60_000);
    expect(breakDurationFor(steep, Number.MAX_SAFE_INTEGER, 0.5)).toBe(60_000);
  });

  it('should keep a factor of 1 fixed', () => {
    const fixed: BreakDuration = { initialMs: 750, maxMs: 60_000, factor: 1, jitter: 0 };
    expect([1, 2, 50].map((opens) => breakDurationFor(fixed, opens, 0.5))).toEqual([750, 750, 750]);
  });

  it('should treat an opening count below 1 as the first opening', () => {
    expect(breakDurationFor(growing, 0, 0.5)).toBe(1000);
  });

  it('should spread the break by the jitter from the random draw', () => {
    const jittered: BreakDuration = { ...growing, jitter: 0.25 };
    expect(breakDurationFor(jittered, 1, 0)).toBe(750);
    expect(breakDurationFor(jittered, 1, 0.5)).toBe(1000);
    expect(breakDurationFor(jittered, 1, 1)).toBe(1250);
    expect(breakDurationFor(jittered, 2, 0.75)).toBe(2250);
  });

  it('should ignore the random draw without jitter', () => {
    expect(breakDurationFor(growing, 2, 0)).toBe(2000);
    expect(breakDurationFor(growing, 2, 0.99)).toBe(2000);
  });

  it('should never give less than 1 ms, even with full jitter', () => {
    const full: BreakDuration = { initialMs: 1, maxMs: 1, factor: 1, jitter: 1 };
    expect(breakDurationFor(full, 1, 0)).toBe(1);
    expect(breakDurationFor({ ...growing, jitter: 1 }, 1, 0)).toBe(1);
  });

  it('should give a sane break when the random source strays out of [0, 1]', () => {
    const jittered: BreakDuration = { ...growing, jitter: 0.5 };
    for (const draw of [Number.NaN, -3, 7, Number.POSITIVE_INFINITY]) {
      const value = breakDurationFor(jittered, 1, draw);
      expect(value).toBeGreaterThanOrEqual(500);
      expect(value).toBeLessThanOrEqual(1500);
    }
  });

  it('should stay within [d * (1 - jitter), d * (1 + jitter)] of the capped break d for any draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (initialMs, extraMs, factor, jitter, opens, draw) => {
          const duration: BreakDuration = { initialMs, maxMs: initialMs + extraMs, factor, jitter };
          const d = Math.min(duration.maxMs, initialMs * factor ** (opens - 1));
          const value = breakDurationFor(duration, opens, draw);
          expect(Number.isInteger(value)).toBe(true);
          expect(value).toBeGreaterThanOrEqual(Math.max(1, Math.floor(d * (1 - jitter))));
          expect(value).toBeLessThanOrEqual(Math.ceil(d * (1 + jitter)));
          expect(value).toBeLessThanOrEqual(Math.ceil(duration.maxMs * (1 + jitter)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('should never shrink as the openings in a row grow, for the same draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 1, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 40 }),
        (initialMs, factor, draw, opens) => {
          const duration: BreakDuration = { initialMs, maxMs: initialMs * 50, factor, jitter: 0.1 };
          expect(breakDurationFor(duration, opens + 1, draw)).toBeGreaterThanOrEqual(
            breakDurationFor(duration, opens, draw),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('circuitBreaker break durations', () => {
  it('should keep a breaker open for the jittered break drawn from the injected random source', async () => {
    const clock = new FakeClock();
    const breaker = circuitBreaker({
      clock,
      strategy: { type: 'consecutive', threshold: 1 },
      breakDuration: { initialMs: 1000, jitter: 0.5 },
      random: () => 0.1, // 1000 * (1 + 0.5 * (0.2 - 1)) = 600
    });
    await settle(
      breaker.execute(async () => {
        throw httpError(500);
      }),
    );
    expect(breaker.retryAfterMs).toBe(600);
    await clock.advance(599);
    const early = await settle(breaker.execute(async () => 'x'));
    expect(!early.ok && early.error.retryAfterMs).toBe(1);
    await clock.advance(1);
    expect(await breaker.execute(async () => 'probe')).toBe('probe');
  });

  it('should use a fixed number as the break every time, without growth', async () => {
    const clock = new FakeClock();
    const breaker = circuitBreaker({
      clock,
      strategy: { type: 'consecutive', threshold: 1 },
      breakDuration: 1234,
      random: () => 0,
    });
    const failing = async (): Promise<string> => {
      throw httpError(503);
    };
    await settle(breaker.execute(failing));
    for (let index = 0; index < 4; index++) {
      expect(breaker.retryAfterMs).toBe(1234);
      await clock.advance(1234);
      await settle(breaker.execute(failing));
    }
    expect(breaker.snapshot().consecutiveOpens).toBe(5);
  });

  it('should open for 5 s on the defaults, within the 10% jitter', async () => {
    const clock = new FakeClock();
    for (const [draw, expected] of [
      [0, 4500],
      [0.5, 5000],
      [0.999_999, 5500],
    ] as const) {
      const breaker = circuitBreaker({
        clock,
        strategy: { type: 'consecutive', threshold: 1 },
        random: () => draw,
      });
      await settle(
        breaker.execute(async () => {
          throw httpError(502);
        }),
      );
      expect(breaker.retryAfterMs).toBe(expected);
    }
  });
});
