import { describe, expect, it, vi } from 'vitest';
import { httpError, settle } from '../../../test/helpers';
import { FakeClock } from '../../clock/fake-clock';
import { CircuitOpenError } from '../../errors/circuit-open-error';
import type { Policy } from '../policy';
import { ConsecutiveStrategy, createStrategy, SamplingStrategy } from './breaker-strategy';
import { circuitBreaker } from './circuit-breaker';

/** A manual time source for the strategies, which read time through a function. */
function manualTime(start = 0) {
  let current = start;
  return {
    now: () => current,
    set: (value: number) => {
      current = value;
    },
  };
}

async function succeed(policy: Policy, times = 1): Promise<void> {
  for (let index = 0; index < times; index++) await policy.execute(async () => 'ok');
}

async function fail(policy: Policy, times = 1, status = 503): Promise<void> {
  for (let index = 0; index < times; index++) {
    const result = await settle(
      policy.execute(async () => {
        throw httpError(status);
      }),
    );
    expect(result.ok).toBe(false);
  }
}

describe('ConsecutiveStrategy', () => {
  it('should ask to open on the threshold-th failure in a row, not before', () => {
    const strategy = new ConsecutiveStrategy(3);
    expect(strategy.failure()).toBe(false);
    expect(strategy.failure()).toBe(false);
    expect(strategy.failure()).toBe(true);
  });

  it('should start counting over after a success', () => {
    const strategy = new ConsecutiveStrategy(2);
    expect(strategy.failure()).toBe(false);
    strategy.success();
    expect(strategy.failure()).toBe(false);
    expect(strategy.failure()).toBe(true);
  });

  it('should start counting over after a reset', () => {
    const strategy = new ConsecutiveStrategy(2);
    strategy.failure();
    strategy.reset();
    expect(strategy.failure()).toBe(false);
  });

  it('should open on the first failure with a threshold of 1', () => {
    expect(new ConsecutiveStrategy(1).failure()).toBe(true);
  });
});

describe('SamplingStrategy', () => {
  it('should not open below minimumThroughput, even when every call failed', () => {
    const time = manualTime(1_000_000);
    const strategy = new SamplingStrategy(0.5, 10_000, 5, 10);
    for (let index = 0; index < 4; index++) expect(strategy.failure(time)).toBe(false);
    expect(strategy.failure(time)).toBe(true);
  });

  it('should open once the failure ratio reaches failureRatio with enough calls', () => {
    const time = manualTime(1_000_000);
    const strategy = new SamplingStrategy(0.5, 10_000, 4, 10);
    strategy.success(time);
    strategy.success(time);
    expect(strategy.failure(time)).toBe(false); // 1 of 3: below throughput
    expect(strategy.failure(time)).toBe(true); // 2 of 4 = 0.5
  });

  it('should not open while the ratio stays below failureRatio', () => {
    const time = manualTime(1_000_000);
    const strategy = new SamplingStrategy(0.5, 10_000, 4, 10);
    for (let round = 0; round < 20; round++) {
      strategy.success(time);
      strategy.success(time);
      expect(strategy.failure(time)).toBe(false); // at most 1 failure in 3 calls of each round
      time.set(time.now() + 100);
    }
  });

  it('should let failures older than the window roll out, bucket by bucket', () => {
    const time = manualTime(1_000_000);
    // Buckets of 100 ms; a failure at t counts until the bucket of t leaves the 10-bucket window.
    const strategy = new SamplingStrategy(0.5, 1000, 4, 10);
    strategy.failure(time);
    strategy.failure(time);
    strategy.failure(time);
    time.set(1_000_999);
    expect(strategy.failure(time)).toBe(true); // the bucket of 1_000_000 is still in the window
    strategy.reset();
    time.set(2_000_000);
    strategy.failure(time);
    strategy.failure(time);
    strategy.failure(time);
    time.set(2_001_000);
    expect(strategy.failure(time)).toBe(false); // it rolled out: 1 failure in the window
  });

  it('should count successes and failures spread over the window together', () => {
    const time = manualTime(1_000_000);
    const strategy = new SamplingStrategy(0.5, 1000, 10, 10);
    for (let index = 0; index < 5; index++) {
      strategy.success(time);
      time.set(time.now() + 100);
    }
    for (let index = 0; index < 4; index++) {
      expect(strategy.failure(time)).toBe(false);
      time.set(time.now() + 50);
    }
    // 5 successes and 5 failures within the last 10 buckets.
    expect(strategy.failure(time)).toBe(true);
  });

  it('should leave out buckets older than the window whose ring slot was not reused yet', () => {
    const time = manualTime(1_000_000);
    const strategy = new SamplingStrategy(0.5, 1000, 4, 10);
    strategy.failure(time);
    strategy.failure(time);
    strategy.failure(time);
    // 11 buckets later: the slot of 1_000_000 still holds its counts, but they are out of the window.
    time.set(1_001_100);
    expect(strategy.failure(time)).toBe(false); // 1 failure in the window, not 4
    time.set(1_001_500);
    strategy.success(time);
    expect(strategy.failure(time)).toBe(false);
    expect(strategy.failure(time)).toBe(true); // 3 of 4 within the window
  });

  it('should not carry the successes of a bucket into the next turn of the ring', () => {
    const time = manualTime(1_000_000);
    const strategy = new SamplingStrategy(0.6, 1000, 3, 10);
    strategy.success(time);
    strategy.success(time);
    strategy.success(time);
    // Exactly one window later, the same ring slot is reused for a new bucket.
    time.set(1_001_000);
    expect(strategy.failure(time)).toBe(false);
    expect(strategy.failure(time)).toBe(false);
    expect(strategy.failure(time)).toBe(true); // 3 of 3, not 3 of 6
  });

  it('should not carry the failures of a bucket into the next turn of the ring', () => {
    const time = manualTime(1_000_000);
    const strategy = new SamplingStrategy(0.6, 1000, 3, 10);
    expect(strategy.failure(time)).toBe(false);
    expect(strategy.failure(time)).toBe(false);
    time.set(1_001_000);
    strategy.success(time);
    strategy.success(time);
    expect(strategy.failure(time)).toBe(false); // 1 of 3, not 3 of 5
  });

  it('should forget everything on reset', () => {
    const time = manualTime(1_000_000);
    const strategy = new SamplingStrategy(0.5, 10_000, 3, 10);
    strategy.failure(time);
    strategy.failure(time);
    strategy.reset();
    expect(strategy.failure(time)).toBe(false);
    expect(strategy.failure(time)).toBe(false);
    expect(strategy.failure(time)).toBe(true);
  });

  it('should work with a single bucket and a fractional bucket size', () => {
    const time = manualTime(1_000_000);
    const single = new SamplingStrategy(1, 1000, 2, 1);
    single.failure(time);
    time.set(1_001_000);
    expect(single.failure(time)).toBe(false);
    expect(single.failure(time)).toBe(true);
    const odd = new SamplingStrategy(1, 1000, 2, 7);
    odd.failure(time);
    expect(odd.failure(time)).toBe(true);
  });
});

describe('circuitBreaker with the sampling strategy', () => {
  function sampling(clock: FakeClock) {
    return circuitBreaker({
      clock,
      breakDuration: 1000,
      strategy: { type: 'sampling', failureRatio: 0.5, windowMs: 10_000, minimumThroughput: 10, buckets: 10 },
    });
  }

  it('should never open on a single failure with low throughput', async () => {
    const clock = new FakeClock();
    const breaker = sampling(clock);
    await fail(breaker);
    expect(breaker.state).toBe('closed');
    await succeed(breaker, 2);
    await fail(breaker);
    expect(breaker.state).toBe('closed');
  });

  it('should not open below minimumThroughput even when every call fails', async () => {
    const breaker = sampling(new FakeClock());
    await fail(breaker, 9);
    expect(breaker.state).toBe('closed');
    await fail(breaker);
    expect(breaker.state).toBe('open');
  });

  it('should open when the failure ratio over the window reaches failureRatio', async () => {
    const clock = new FakeClock();
    const breaker = sampling(clock);
    await succeed(breaker, 6);
    await fail(breaker, 4);
    expect(breaker.state).toBe('closed'); // 4 of 10
    await fail(breaker);
    expect(breaker.state).toBe('closed'); // 5 of 11
    await fail(breaker);
    expect(breaker.state).toBe('open'); // 6 of 12
    const fn = vi.fn(async () => 'x');
    const rejected = await settle(breaker.execute(fn));
    expect(!rejected.ok && CircuitOpenError.isInstance(rejected.error)).toBe(true);
    expect(fn).not.toHaveBeenCalled();
  });

  it('should let old buckets roll out of the window with time', async () => {
    const clock = new FakeClock();
    const breaker = sampling(clock);
    await fail(breaker, 9);
    await clock.advance(11_000);
    // The 9 failures are out of the window: this is 1 call, below minimumThroughput.
    await fail(breaker);
    expect(breaker.state).toBe('closed');
    await clock.advance(5_000);
    await fail(breaker, 8);
    expect(breaker.state).toBe('closed'); // 9 in the window
    await fail(breaker);
    expect(breaker.state).toBe('open'); // 10 in the window
  });

  it('should count caller mistakes as calls that did not fail', async () => {
    const breaker = sampling(new FakeClock());
    await fail(breaker, 20, 400);
    await fail(breaker, 9);
    expect(breaker.state).toBe('closed'); // 9 of 29
  });

  it('should start with an empty window after closing again', async () => {
    const clock = new FakeClock();
    const breaker = sampling(clock);
    await fail(breaker, 10);
    expect(breaker.state).toBe('open');
    await clock.advance(1000);
    await succeed(breaker);
    expect(breaker.state).toBe('closed');
    await fail(breaker);
    expect(breaker.state).toBe('closed');
  });

  it('should expose its window for the pipeline checks, and none for the consecutive strategy', () => {
    expect(circuitBreaker({ strategy: { type: 'sampling', windowMs: 5000 } }).windowMs).toBe(5000);
    expect(circuitBreaker({ strategy: { type: 'sampling' } }).windowMs).toBe(30_000);
    expect(circuitBreaker({ strategy: { type: 'consecutive' } }).windowMs).toBeUndefined();
  });
});

describe('createStrategy', () => {
  it('should default to 5 failures in a row', () => {
    const strategy = createStrategy(undefined);
    expect(strategy).toBeInstanceOf(ConsecutiveStrategy);
    expect((strategy as ConsecutiveStrategy).threshold).toBe(5);
  });

  it('should default the sampling options', () => {
    const strategy = createStrategy({ type: 'sampling' }) as SamplingStrategy;
    expect(strategy).toBeInstanceOf(SamplingStrategy);
    expect([
      strategy.failureRatio,
      strategy.windowMs,
      strategy.minimumThroughput,
      strategy.bucketCount,
    ]).toEqual([0.1, 30_000, 100, 10]);
  });

  it.each<[string, unknown, ErrorConstructor, RegExp]>([
    ['a null strategy', null, TypeError, /circuitBreaker: strategy must be an object, .*; got null/],
    ['an array', [], TypeError, /circuitBreaker: strategy must be an object, .*; got an array/],
    ['a missing type', {}, TypeError, /strategy\.type must be "consecutive" or "sampling"; got undefined/],
    [
      'an unknown type',
      { type: 'window' },
      TypeError,
      /strategy\.type must be "consecutive" or "sampling"; got "window"/,
    ],
    [
      'a negative threshold',
      { type: 'consecutive', threshold: -1 },
      RangeError,
      /strategy\.threshold must be an integer from 1 to 1000000; got -1/,
    ],
    [
      'an Infinity threshold',
      { type: 'consecutive', threshold: Number.POSITIVE_INFINITY },
      RangeError,
      /strategy\.threshold must be an integer from 1 to 1000000; got Infinity/,
    ],
    [
      'a string threshold',
      { type: 'consecutive', threshold: '3' },
      TypeError,
      /strategy\.threshold must be an integer from 1 to 1000000; got "3"/,
    ],
    [
      'a sampling option on the consecutive strategy',
      { type: 'consecutive', windowMs: 1000 },
      TypeError,
      /circuitBreaker strategy: unknown option "windowMs"; accepted options are type, threshold/,
    ],
    [
      'a zero failureRatio',
      { type: 'sampling', failureRatio: 0 },
      RangeError,
      /strategy\.failureRatio must be a number greater than 0 and at most 1; got 0/,
    ],
    [
      'a failureRatio above 1',
      { type: 'sampling', failureRatio: 1.5 },
      RangeError,
      /strategy\.failureRatio must be a number greater than 0 and at most 1; got 1\.5/,
    ],
    [
      'a NaN failureRatio',
      { type: 'sampling', failureRatio: Number.NaN },
      RangeError,
      /strategy\.failureRatio must be a number greater than 0 and at most 1; got NaN/,
    ],
    [
      'a short windowMs',
      { type: 'sampling', windowMs: 5 },
      RangeError,
      /strategy\.windowMs must be a number from 10 to 86400000; got 5/,
    ],
    [
      'an Infinity windowMs',
      { type: 'sampling', windowMs: Number.POSITIVE_INFINITY },
      RangeError,
      /strategy\.windowMs must be a number from 10 to 86400000; got Infinity/,
    ],
    [
      'a zero minimumThroughput',
      { type: 'sampling', minimumThroughput: 0 },
      RangeError,
      /strategy\.minimumThroughput must be an integer from 1 to 1000000000; got 0/,
    ],
    [
      'a fractional buckets',
      { type: 'sampling', buckets: 2.5 },
      RangeError,
      /strategy\.buckets must be an integer from 1 to 1000; got 2\.5/,
    ],
    [
      'a negative buckets',
      { type: 'sampling', buckets: -10 },
      RangeError,
      /strategy\.buckets must be an integer from 1 to 1000; got -10/,
    ],
    [
      'a consecutive option on the sampling strategy',
      { type: 'sampling', threshold: 3 },
      TypeError,
      /circuitBreaker strategy: unknown option "threshold"; accepted options are type, failureRatio, windowMs, minimumThroughput, buckets/,
    ],
  ])('should refuse %s, naming the option and its range', (_, options, type, message) => {
    expect(() => createStrategy(options as never)).toThrow(type);
    expect(() => createStrategy(options as never)).toThrow(message);
    expect(() => circuitBreaker({ strategy: options as never })).toThrow(message);
  });

  it('should accept the bounds of the sampling ranges', () => {
    expect(() =>
      createStrategy({ type: 'sampling', failureRatio: 1, windowMs: 10, minimumThroughput: 1, buckets: 1 }),
    ).not.toThrow();
    expect(() =>
      createStrategy({
        type: 'sampling',
        failureRatio: 0.0001,
        windowMs: 86_400_000,
        minimumThroughput: 1_000_000_000,
        buckets: 1000,
      }),
    ).not.toThrow();
  });
});
