import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CommandDeadlines, type TimedCommand } from '../src/command-deadlines';

function command(log: string[], name: string): TimedCommand {
  return {
    deadline: 0,
    settled: false,
    expire: () => log.push(name),
  };
}

describe('CommandDeadlines', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('expires each pending command at its own deadline, with one timer for all of them', async () => {
    const deadlines = new CommandDeadlines(100);
    const expired: string[] = [];
    deadlines.add(command(expired, 'a'));
    await vi.advanceTimersByTimeAsync(30);
    deadlines.add(command(expired, 'b'));
    await vi.advanceTimersByTimeAsync(30);
    deadlines.add(command(expired, 'c'));
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(39);
    expect(expired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(expired).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(30);
    expect(expired).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(30);
    expect(expired).toEqual(['a', 'b', 'c']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never expires a settled command, and stops its timer once nothing is pending', async () => {
    const deadlines = new CommandDeadlines(100);
    const expired: string[] = [];
    const first = command(expired, 'first');
    const second = command(expired, 'second');
    deadlines.add(first);
    deadlines.add(second);
    first.settled = true;
    await vi.advanceTimersByTimeAsync(100);
    expect(expired).toEqual(['second']);
    expect(second.settled).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('times a command added while another expires', async () => {
    const deadlines = new CommandDeadlines(50);
    const expired: string[] = [];
    deadlines.add({
      deadline: 0,
      settled: false,
      expire: () => {
        expired.push('first');
        deadlines.add(command(expired, 'added during expire'));
      },
    });
    await vi.advanceTimersByTimeAsync(50);
    expect(expired).toEqual(['first']);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(50);
    expect(expired).toEqual(['first', 'added during expire']);
  });

  it('keeps up with many commands in flight: each expires once, in order', async () => {
    const deadlines = new CommandDeadlines(10);
    const expired: string[] = [];
    const all: TimedCommand[] = [];
    for (let index = 0; index < 5_000; index++) {
      const timed = command(expired, String(index));
      all.push(timed);
      deadlines.add(timed);
      if (index % 2 === 0) timed.settled = true;
      if (index % 1_000 === 999) await vi.advanceTimersByTimeAsync(3);
    }
    await vi.advanceTimersByTimeAsync(20);
    expect(expired).toEqual(all.flatMap((_, index) => (index % 2 === 1 ? [String(index)] : [])));
    expect(vi.getTimerCount()).toBe(0);
  });
});
