import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../clock/fake-clock';
import { DeadlineQueue } from './deadline-queue';

describe('DeadlineQueue', () => {
  it('fires entries in deadline order and skips removed ones', async () => {
    const clock = new FakeClock(0);
    const fired: string[] = [];
    const queue = new DeadlineQueue<string>(clock, (value) => fired.push(value));
    queue.add(100, 'a');
    const b = queue.add(200, 'b');
    queue.add(300, 'c');
    queue.remove(b);
    expect(queue.size).toBe(2);
    await clock.advance(150);
    expect(fired).toEqual(['a']);
    await clock.advance(200);
    expect(fired).toEqual(['a', 'c']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('re-arms for an earlier deadline added after a later one', async () => {
    const clock = new FakeClock(0);
    const fired: string[] = [];
    const queue = new DeadlineQueue<string>(clock, (value) => fired.push(value));
    queue.add(1_000, 'late');
    queue.add(10, 'early');
    await clock.advance(10);
    expect(fired).toEqual(['early']);
  });

  it('unrefs its timer while idle and refs it again when a deadline is added', () => {
    let handle: { ref: () => void; unref: () => void; refs: number } | undefined;
    const clock = {
      now: () => 0,
      setTimeout: () => {
        handle = { refs: 1, ref: () => (handle!.refs = 1), unref: () => (handle!.refs = 0) };
        return handle;
      },
      clearTimeout: () => {},
    };
    const queue = new DeadlineQueue<string>(clock, () => {});
    const entry = queue.add(100, 'x');
    expect(handle?.refs).toBe(1);
    queue.remove(entry);
    expect(handle?.refs).toBe(0);
    queue.add(150, 'y');
    expect(handle?.refs).toBe(1);
  });
});
