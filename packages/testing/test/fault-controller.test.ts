import { describe, expect, it } from 'vitest';
import type { Fault } from '../src/core/fault';
import { FaultController } from '../src/core/fault-controller';

describe('FaultController', () => {
  it('hands out scripted faults one per request, in order, then none', () => {
    const faults = new FaultController().enqueue({ type: 'reset' }, { type: 'status', status: 500 });
    expect(faults.pending).toBe(2);
    expect(faults.next()).toEqual({ type: 'reset' });
    expect(faults.next()).toEqual({ type: 'status', status: 500 });
    expect(faults.next()).toBeUndefined();
    expect(faults.applied.map(({ request, source }) => [request, source])).toEqual([
      [1, 'script'],
      [2, 'script'],
    ]);
  });

  it('repeats one fault for the next N requests', () => {
    const faults = new FaultController().repeat({ type: 'hang' }, 3);
    const drawn = [faults.next(), faults.next(), faults.next(), faults.next()];
    expect(drawn.map((fault) => fault?.type)).toEqual(['hang', 'hang', 'hang', undefined]);
  });

  it('draws the same random faults for the same seed, and none once stopped', () => {
    const options = {
      seed: 1234,
      probability: 0.5,
      faults: [{ type: 'reset' }, { type: 'status', status: 503 }] as Fault[],
    };
    const draw = (controller: FaultController) =>
      Array.from({ length: 50 }, () => controller.next()?.type ?? 'none');
    const first = draw(new FaultController().atRandom(options));
    const second = draw(new FaultController().atRandom(options));
    expect(first).toEqual(second);
    expect(first).toContain('none');
    expect(first).toContain('reset');
    expect(first).toContain('status');
    const stopped = new FaultController().atRandom(options).stopRandom();
    expect(draw(stopped).every((type) => type === 'none')).toBe(true);
  });

  it('injects at random on every request with probability 1 and never with 0', () => {
    const always = new FaultController().atRandom({ seed: 3, probability: 1, faults: [{ type: 'hang' }] });
    const never = new FaultController().atRandom({ seed: 3, probability: 0, faults: [{ type: 'hang' }] });
    for (let index = 0; index < 20; index++) {
      expect(always.next()).toEqual({ type: 'hang' });
      expect(never.next()).toBeUndefined();
    }
    expect(always.applied.every(({ source }) => source === 'random')).toBe(true);
  });

  it('prefers the script over random faults', () => {
    const faults = new FaultController()
      .atRandom({ seed: 9, probability: 1, faults: [{ type: 'hang' }] })
      .enqueue({ type: 'reset' });
    expect(faults.next()).toEqual({ type: 'reset' });
    expect(faults.next()).toEqual({ type: 'hang' });
  });

  it('forgets script, random faults, history and the request count on clear', () => {
    const faults = new FaultController()
      .enqueue({ type: 'reset' }, { type: 'reset' })
      .atRandom({ seed: 1, probability: 1, faults: [{ type: 'hang' }] });
    faults.next();
    faults.clear();
    expect(faults.pending).toBe(0);
    expect(faults.applied).toEqual([]);
    expect(faults.next()).toBeUndefined();
    faults.enqueue({ type: 'reset' });
    faults.next();
    expect(faults.applied[0]?.request).toBe(2);
  });

  it('refuses faults that cannot be applied', () => {
    const faults = new FaultController();
    expect(() => faults.enqueue({ type: 'explode' } as unknown as Fault)).toThrow(TypeError);
    expect(() => faults.enqueue({ type: 'latency', ms: -1 })).toThrow(RangeError);
    expect(() => faults.enqueue({ type: 'status', status: 200 })).toThrow(RangeError);
    expect(() => faults.enqueue({ type: 'status' })).toThrow(TypeError);
    expect(() => faults.repeat({ type: 'reset' }, 1.5)).toThrow(RangeError);
    expect(() => faults.atRandom({ seed: 1, probability: 2, faults: [{ type: 'reset' }] })).toThrow(
      RangeError,
    );
    expect(() => faults.atRandom({ seed: 1, probability: 0.5, faults: [] })).toThrow(TypeError);
    expect(faults.pending).toBe(0);
  });
});
