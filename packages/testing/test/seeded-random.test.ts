import { describe, expect, it } from 'vitest';
import { seededRandom } from '../src/core/seeded-random';

describe('seededRandom', () => {
  it('gives the same sequence for the same seed', () => {
    const first = seededRandom(42);
    const second = seededRandom(42);
    const a = Array.from({ length: 20 }, () => first());
    const b = Array.from({ length: 20 }, () => second());
    expect(a).toEqual(b);
  });

  it('gives different sequences for different seeds', () => {
    const a = Array.from({ length: 5 }, seededRandom(1));
    const b = Array.from({ length: 5 }, seededRandom(2));
    expect(a).not.toEqual(b);
  });

  it('stays within [0, 1) and spreads over the range', () => {
    const random = seededRandom(7);
    const values = Array.from({ length: 2_000 }, () => random());
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const lowHalf = values.filter((value) => value < 0.5).length;
    expect(lowHalf).toBeGreaterThan(900);
    expect(lowHalf).toBeLessThan(1_100);
  });

  it('refuses a seed that is not a finite number', () => {
    expect(() => seededRandom(Number.NaN)).toThrow(RangeError);
  });
});
