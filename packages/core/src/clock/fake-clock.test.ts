import { describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock';

describe('FakeClock', () => {
  it('fires due timers in order and moves time to each', async () => {
    const clock = new FakeClock(1_000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 200);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 100);
    const cancelled = clock.setTimeout(() => fired.push('never'), 150);
    clock.clearTimeout(cancelled);
    await clock.advance(150);
    expect(fired).toEqual(['a@1100']);
    expect(clock.now()).toBe(1_150);
    await clock.advance(50);
    expect(fired).toEqual(['a@1100', 'b@1200']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('lets promises settled by a timer run before advance returns', async () => {
    const clock = new FakeClock();
    const steps: string[] = [];
    const sleep = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
    void (async () => {
      await sleep(10);
      steps.push('first');
      await sleep(10);
      steps.push('second');
    })();
    await clock.advance(20);
    expect(steps).toEqual(['first', 'second']);
  });

  it('runs all timers with runAll', async () => {
    const clock = new FakeClock(0);
    let count = 0;
    clock.setTimeout(() => clock.setTimeout(() => count++, 5), 5);
    expect(await clock.runAll()).toBe(2);
    expect(count).toBe(1);
    expect(clock.now()).toBe(10);
  });

  it('refuses a negative or non-finite advance', async () => {
    await expect(new FakeClock().advance(-1)).rejects.toThrow(/ms must be a finite number >= 0/);
    expect(() => new FakeClock(Number.NaN)).toThrow(/startMs/);
  });
});
