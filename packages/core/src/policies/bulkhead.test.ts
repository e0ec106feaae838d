import { describe, expect, it } from 'vitest';
import { settle } from '../../test/helpers';
import { FakeClock } from '../clock/fake-clock';
import { RejectedError } from '../errors/rejected-error';
import { bulkhead } from './bulkhead';
import { pipeline } from './pipeline';
import { timeout } from './timeout/timeout';

function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('bulkhead', () => {
  it('runs at most maxConcurrent calls, queues up to maxQueue, and rejects the rest at once', async () => {
    const policy = bulkhead({ maxConcurrent: 2, maxQueue: 1 });
    const gates = [gate(), gate(), gate()];
    let started = 0;
    const run = (index: number) =>
      settle(
        policy.execute(async () => {
          started++;
          await gates[index]!.promise;
          return index;
        }),
      );
    const first = run(0);
    const second = run(1);
    const third = run(2);
    const fourth = settle(policy.execute(async () => 'never'));
    await Promise.resolve();
    expect(started).toBe(2);
    expect(policy.executing).toBe(2);
    expect(policy.queued).toBe(1);
    const rejected = await fourth;
    expect(!rejected.ok && RejectedError.isInstance(rejected.error)).toBe(true);
    expect(!rejected.ok && rejected.error.kind).toBe('bulkhead-rejected');
    expect(!rejected.ok && rejected.error.outcome).toBe('not-sent');
    gates[0]!.open();
    expect(await first).toEqual({ ok: true, value: 0 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toBe(3);
    gates[1]!.open();
    gates[2]!.open();
    expect((await second).ok && (await third).ok).toBe(true);
    expect(policy.executing).toBe(0);
  });

  it('frees a slot when a call fails', async () => {
    const policy = bulkhead({ maxConcurrent: 1 });
    await settle(policy.execute(async () => Promise.reject(new Error('x'))));
    expect(await policy.execute(async () => 'ok')).toBe('ok');
  });

  it('takes a queued call out of the queue when its timeout fires', async () => {
    const clock = new FakeClock();
    const inner = bulkhead({ maxConcurrent: 1, maxQueue: 5, clock });
    const policy = pipeline(timeout(1_000, { clock }), inner);
    const blocker = gate();
    const running = settle(inner.execute(() => blocker.promise));
    const queued = settle(policy.execute(async () => 'late'));
    await clock.flush();
    expect(inner.queued).toBe(1);
    await clock.advance(1_000);
    const settled = await queued;
    expect(!settled.ok && settled.error.kind).toBe('timeout');
    expect(inner.queued).toBe(0);
    blocker.open();
    await running;
    expect(inner.executing).toBe(0);
  });

  it('takes a queued call out of the queue when its caller aborts', async () => {
    const policy = bulkhead({ maxConcurrent: 1, maxQueue: 1 });
    const blocker = gate();
    const running = settle(policy.execute(() => blocker.promise));
    const controller = new AbortController();
    const queued = settle(policy.execute(async () => 'x', { signal: controller.signal }));
    await Promise.resolve();
    controller.abort();
    expect(!(await queued).ok).toBe(true);
    expect(policy.queued).toBe(0);
    blocker.open();
    await running;
  });

  it.each([
    [{ maxConcurrent: 0 }, /maxConcurrent must be an integer from 1/],
    [{ maxQueue: -1 }, /maxQueue must be an integer from 0/],
    [{ maxConcurrent: 1.5 }, /maxConcurrent/],
  ])('refuses bad options: %j', (options, message) => {
    expect(() => bulkhead(options)).toThrow(message);
  });
});
