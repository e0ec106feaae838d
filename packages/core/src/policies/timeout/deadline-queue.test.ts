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

  it("never keeps a process alive by itself: its timer is unref'd once, not per call", () => {
    const handles: { unrefs: number }[] = [];
    const clock = {
      now: () => 0,
      setTimeout: () => {
        const handle = { unrefs: 0, unref: () => handle.unrefs++ };
        handles.push(handle);
        return handle;
      },
      clearTimeout: () => {},
    };
    const queue = new DeadlineQueue<string>(clock, () => {});
    for (let call = 0; call < 5; call++) queue.remove(queue.add(100 + call, 'x'));
    expect(handles).toHaveLength(1);
    expect(handles[0]?.unrefs).toBe(1);
  });
});
