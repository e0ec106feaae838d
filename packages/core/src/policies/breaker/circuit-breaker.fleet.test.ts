import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpError, networkError, settle } from '../../../test/helpers';
import { FakeClock } from '../../clock/fake-clock';
import { CircuitOpenError } from '../../errors/circuit-open-error';
import type { BreakerStateChangeEvent } from '../../hooks/plugin';
import { onPluginError } from '../../hooks/plugin-registry';
import { pipeline } from '../pipeline';
import { resilient } from '../resilient';
import { retry } from '../retry/retry';
import { timeout } from '../timeout/timeout';
import { type CircuitBreakerOptions, circuitBreaker } from './circuit-breaker';
import type { CircuitFleet, CircuitFleetMember, CircuitFleetState } from './circuit-fleet';
import { memoryCircuitFleet } from './memory-circuit-fleet';

afterEach(() => {
  onPluginError(undefined);
});

const down = () => Promise.reject(networkError('ECONNREFUSED'));
const up = () => Promise.resolve('ok');

/** Two or more "processes": breakers of one name in one fleet, each with its own state. */
function fleetOf(count: number, options: CircuitBreakerOptions = {}) {
  const clock = new FakeClock();
  const fleet = memoryCircuitFleet({ clock });
  const breakers = Array.from({ length: count }, () =>
    circuitBreaker({
      name: 'resend',
      strategy: { type: 'consecutive', threshold: 2 },
      breakDuration: { initialMs: 1000, factor: 2, maxMs: 8000, jitter: 0 },
      probeTimeoutMs: 5000,
      clock,
      fleet,
      ...options,
    }),
  );
  return { clock, fleet, breakers };
}

async function trip(breaker: ReturnType<typeof circuitBreaker>) {
  await settle(breaker.execute(down));
  await settle(breaker.execute(down));
}

describe('circuitBreaker with a fleet', () => {
  it('should open every breaker of the fleet when one trips, and make them fail fast', async () => {
    const { clock, fleet, breakers } = fleetOf(3);
    const [a, b, c] = breakers as [(typeof breakers)[0], (typeof breakers)[0], (typeof breakers)[0]];
    const seen: BreakerStateChangeEvent[] = [];
    b.onStateChange((event) => seen.push(event));
    await trip(a);
    expect(a.state).toBe('open');
    await clock.flush();
    expect([b.state, c.state]).toEqual(['open', 'open']);
    expect(seen).toEqual([
      { breaker: 'resend', from: 'closed', to: 'open', operation: undefined, fromFleet: true },
    ]);
    expect(fleet.inspect('resend')).toMatchObject({ state: 'open', consecutiveOpens: 1 });
    const fn = vi.fn(up);
    const result = await settle(b.execute(fn));
    expect(fn).not.toHaveBeenCalled();
    expect(result.ok ? undefined : result.error).toBeInstanceOf(CircuitOpenError);
    expect(result.ok ? 0 : result.error.retryAfterMs).toBe(1000);
  });

  it('should let exactly one probe through across the fleet after the break, and close everyone on its success', async () => {
    const { clock, fleet, breakers } = fleetOf(3);
    await trip(breakers[0]!);
    await clock.advance(1000);
    let release!: (value: string) => void;
    const probe = vi.fn(() => new Promise<string>((resolve) => (release = resolve)));
    const others = [vi.fn(up), vi.fn(up)];
    const first = settle(breakers[1]!.execute(probe));
    await clock.flush();
    const rejected = await Promise.all([
      settle(breakers[0]!.execute(others[0]!)),
      settle(breakers[2]!.execute(others[1]!)),
    ]);
    expect(probe).toHaveBeenCalledTimes(1);
    expect(others[0]).not.toHaveBeenCalled();
    expect(others[1]).not.toHaveBeenCalled();
    for (const result of rejected) {
      expect(result.ok ? undefined : result.error).toBeInstanceOf(CircuitOpenError);
      expect(result.ok ? 0 : result.error.retryAfterMs).toBe(5000); // the lease's remaining time
    }
    expect(fleet.inspect('resend')?.state).toBe('half-open');
    release('ok');
    expect(await first).toEqual({ ok: true, value: 'ok' });
    await clock.flush();
    expect(breakers.map((breaker) => breaker.state)).toEqual(['closed', 'closed', 'closed']);
    expect(fleet.inspect('resend')).toMatchObject({ state: 'closed', consecutiveOpens: 0, leaseUntil: 0 });
    expect(await breakers[2]!.execute(up)).toBe('ok');
  });

  it('should reopen the fleet with a longer break when the probe fails', async () => {
    const { clock, fleet, breakers } = fleetOf(2);
    await trip(breakers[0]!);
    await clock.advance(1000);
    await settle(breakers[1]!.execute(down));
    await clock.flush();
    expect(breakers.map((breaker) => breaker.state)).toEqual(['open', 'open']);
    expect(fleet.inspect('resend')).toMatchObject({ state: 'open', consecutiveOpens: 2 });
    expect(breakers[0]!.retryAfterMs).toBe(2000);
  });

  it('should hand the probe to another process when the holder dies without an answer', async () => {
    const { clock, breakers } = fleetOf(2);
    await trip(breakers[0]!);
    await clock.advance(1000);
    // Process 0 takes the lease and "dies": its probe never settles.
    void breakers[0]!.execute(() => new Promise<string>(() => {}));
    await clock.flush();
    const denied = await settle(breakers[1]!.execute(up));
    expect(denied.ok ? 0 : denied.error.retryAfterMs).toBe(5000);
    await clock.advance(4999);
    expect((await settle(breakers[1]!.execute(up))).ok).toBe(false);
    await clock.advance(1);
    expect(await breakers[1]!.execute(up)).toBe('ok');
    expect(breakers[1]!.state).toBe('closed');
  });

  it('should keep the first trip when two processes trip at once, and adopt its break', async () => {
    const { clock, fleet, breakers } = fleetOf(2, {
      breakDuration: { initialMs: 1000, factor: 2, maxMs: 8000, jitter: 0.5 },
      random: () => 1,
    });
    await trip(breakers[0]!);
    await clock.advance(100);
    await trip(breakers[1]!); // before the news arrived: both tripped
    await clock.flush();
    expect(fleet.inspect('resend')).toMatchObject({ state: 'open', consecutiveOpens: 1 });
    expect(breakers[1]!.retryAfterMs).toBe(breakers[0]!.retryAfterMs);
  });

  it('should isolate and reset the whole fleet from one process', async () => {
    const { clock, breakers } = fleetOf(2);
    breakers[0]!.isolate();
    await clock.flush();
    expect(breakers[1]!.state).toBe('isolated');
    breakers[1]!.reset();
    await clock.flush();
    expect(breakers.map((breaker) => breaker.state)).toEqual(['closed', 'closed']);
  });

  it('should tell a late joiner the fleet is open', async () => {
    const { clock, fleet, breakers } = fleetOf(1);
    await trip(breakers[0]!);
    const late = circuitBreaker({ name: 'resend', clock, fleet });
    await clock.flush();
    expect(late.state).toBe('open');
    expect(late.retryAfterMs).toBe(1000);
  });

  it('should keep breakers of other names apart', async () => {
    const { clock, fleet, breakers } = fleetOf(1);
    const other = circuitBreaker({ name: 'stripe', clock, fleet });
    await trip(breakers[0]!);
    await clock.flush();
    expect(other.state).toBe('closed');
  });

  it('should stop hearing from the fleet after dispose()', async () => {
    const { clock, breakers } = fleetOf(2);
    breakers[1]!.dispose();
    await trip(breakers[0]!);
    await clock.flush();
    expect(breakers[1]!.state).toBe('closed');
  });

  it('should share the probe through resilient() and its one-loop runner', async () => {
    const clock = new FakeClock();
    const fleet = memoryCircuitFleet({ clock });
    const build = () =>
      resilient({
        service: 'resend',
        clock,
        retry: { maxAttempts: 1 },
        circuitBreaker: { strategy: { type: 'consecutive', threshold: 1 }, breakDuration: 1000, fleet },
      });
    const [a, b] = [build(), build()];
    await settle(a.execute(() => Promise.reject(httpError(503))));
    await clock.flush();
    expect(b.breaker?.state).toBe('open');
    await clock.advance(1000);
    const probe = vi.fn(up);
    expect(await b.execute(probe)).toBe('ok');
    await clock.flush();
    expect(a.breaker?.state).toBe('closed');
  });
});

describe('circuitBreaker with a slow fleet', () => {
  it('should end a call at its total timeout while the fleet decides on the probe, and keep the lease for the next caller', async () => {
    const clock = new FakeClock();
    let answer!: (waitMs: number) => void;
    const asked = vi.fn(() => new Promise<number>((resolve) => (answer = resolve)));
    const fleet: CircuitFleet = {
      joinCircuit: () => ({ publish: () => {}, acquireProbe: asked, leave: () => {} }),
    };
    const policy = resilient({
      service: 'resend',
      clock,
      retry: false,
      totalTimeoutMs: 500,
      attemptTimeoutMs: false,
      circuitBreaker: { strategy: { type: 'consecutive', threshold: 1 }, breakDuration: 1000, fleet },
    });
    await settle(policy.execute(down));
    await clock.advance(1000);
    const fn = vi.fn(up);
    const call = settle(policy.execute(fn));
    await clock.advance(500);
    const result = await call;
    expect(result.ok ? undefined : result.error.kind).toBe('timeout');
    answer(0); // the fleet grants the lease after the caller left: no probe is taken for it
    await clock.flush();
    expect(policy.breaker?.state).toBe('open');
    expect(fn).not.toHaveBeenCalled();
    const next = settle(policy.execute(fn));
    await clock.flush();
    answer(0);
    expect(await next).toEqual({ ok: true, value: 'ok' });
    expect(asked).toHaveBeenCalledTimes(2);
    expect(policy.breaker?.state).toBe('closed');
  });
});

describe('circuitBreaker with a fleet that counts failures across processes', () => {
  it('should tell the fleet of each failure it counted and did not trip on, with the break it would take', async () => {
    const failed = vi.fn();
    let send!: (state: CircuitFleetState) => void;
    const fleet: CircuitFleet = {
      joinCircuit(_name, onChange) {
        send = onChange;
        return { publish: () => {}, acquireProbe: () => Promise.resolve(0), leave: () => {}, failed };
      },
    };
    const clock = new FakeClock();
    const breaker = circuitBreaker({
      strategy: { type: 'consecutive', threshold: 3 },
      breakDuration: { initialMs: 1000, factor: 2, maxMs: 8000, jitter: 0 },
      clock,
      fleet,
    });
    await settle(breaker.execute(down));
    await settle(breaker.execute(() => Promise.reject(httpError(400)))); // the caller's mistake: not counted
    await settle(breaker.execute(down));
    expect(failed.mock.calls).toEqual([
      [{ state: 'open', openForMs: 1000, consecutiveOpens: 1 }],
      [{ state: 'open', openForMs: 1000, consecutiveOpens: 1 }],
    ]);
    send({ state: 'open', openForMs: 1000, consecutiveOpens: 1 }); // the fleet tripped
    expect(breaker.state).toBe('open');
    await settle(breaker.execute(down));
    expect(failed).toHaveBeenCalledTimes(2); // an open breaker counts nothing
  });
});

describe('memoryCircuitFleet with tripAfter', () => {
  it('should trip every breaker on failures spread across them, within the window only', async () => {
    const clock = new FakeClock();
    const fleet = memoryCircuitFleet({ clock, tripAfter: { failures: 3, windowMs: 1000 } });
    const breakers = [0, 1, 2].map(() =>
      circuitBreaker({
        name: 'resend',
        strategy: { type: 'consecutive', threshold: 5 },
        breakDuration: 2000,
        clock,
        fleet,
      }),
    );
    await settle(breakers[0]!.execute(down));
    await settle(breakers[1]!.execute(down));
    await clock.advance(1000); // the window is over: the count starts again
    await settle(breakers[2]!.execute(down));
    await settle(breakers[0]!.execute(down));
    await clock.flush();
    expect(breakers.map((breaker) => breaker.state)).toEqual(['closed', 'closed', 'closed']);
    await settle(breakers[1]!.execute(down));
    await clock.flush();
    expect(breakers.map((breaker) => breaker.state)).toEqual(['open', 'open', 'open']);
    expect(breakers[1]!.retryAfterMs).toBe(2000);
    expect(fleet.inspect('resend')).toMatchObject({ state: 'open', consecutiveOpens: 1 });
  });

  it('should count afresh after every transition, and refuse a bad tripAfter', async () => {
    const clock = new FakeClock();
    const fleet = memoryCircuitFleet({ clock, tripAfter: { failures: 3, windowMs: 60_000 } });
    const breaker = circuitBreaker({
      name: 'resend',
      strategy: { type: 'consecutive', threshold: 3 },
      clock,
      fleet,
    });
    for (let call = 0; call < 3; call++) await settle(breaker.execute(down)); // 2 counted, then its own trip
    expect(breaker.state).toBe('open');
    breaker.reset();
    await settle(breaker.execute(down));
    await clock.flush();
    expect(breaker.state).toBe('closed'); // one failure since the reset, not three
    expect(() => memoryCircuitFleet({ tripAfter: { failures: 0, windowMs: 1000 } })).toThrow(
      /tripAfter must be \{ failures: an integer >= 1/,
    );
    expect(() => memoryCircuitFleet({ tripAfter: { failures: 2 } as never })).toThrow(/tripAfter must be/);
  });
});

describe('circuitBreaker with a fleet that answers late or never', () => {
  /** A fleet whose answers to acquireProbe the test gives, one by one. */
  function slowFleet() {
    const answers: ((waitMs: number) => void)[] = [];
    const acquireProbe = vi.fn(() => new Promise<number>((resolve) => answers.push(resolve)));
    const fleet: CircuitFleet = {
      joinCircuit: () => ({ publish: () => {}, acquireProbe, leave: () => {} }),
    };
    return { fleet, answers, acquireProbe };
  }

  it('should take no probe for a caller whose attempt timeout cut its wait short', async () => {
    const clock = new FakeClock();
    const { fleet, answers, acquireProbe } = slowFleet();
    const breaker = circuitBreaker({
      strategy: { type: 'consecutive', threshold: 1 },
      breakDuration: 1000,
      clock,
      fleet,
    });
    // A timeout inside retry bounds each attempt: it cuts the wait short without ending the operation.
    const policy = pipeline(retry({ maxAttempts: 1, clock }), timeout(20, { clock }), breaker);
    await settle(policy.execute(down));
    await clock.advance(1000);
    const fn = vi.fn(up);
    const call = settle(policy.execute(fn));
    await clock.advance(20);
    expect((await call).ok).toBe(false);
    answers[0]!(0); // granted after the caller left
    await clock.flush();
    expect(breaker.state).toBe('open');
    expect(fn).not.toHaveBeenCalled();
    const next = settle(policy.execute(fn));
    await clock.flush();
    answers[1]!(0);
    expect(await next).toEqual({ ok: true, value: 'ok' });
    expect(acquireProbe).toHaveBeenCalledTimes(2);
  });

  it('should ask again once a question went unanswered for probeTimeoutMs, and ignore the late answer', async () => {
    const clock = new FakeClock();
    const { fleet, answers, acquireProbe } = slowFleet();
    const breaker = circuitBreaker({
      strategy: { type: 'consecutive', threshold: 1 },
      breakDuration: 1000,
      probeTimeoutMs: 5000,
      clock,
      fleet,
    });
    await settle(breaker.execute(down));
    await clock.advance(1000);
    const lost = settle(breaker.execute(up)); // its question goes unanswered for too long
    await clock.flush();
    const waiting = await settle(breaker.execute(up));
    expect(waiting.ok ? 0 : waiting.error.retryAfterMs).toBe(5000);
    await clock.advance(5000);
    const asked = settle(breaker.execute(up));
    await clock.flush();
    expect(acquireProbe).toHaveBeenCalledTimes(2);
    answers[0]!(0); // the lost question's answer: ignored, and its caller refused
    expect((await lost).ok).toBe(false);
    expect(breaker.state).toBe('open');
    answers[1]!(0);
    expect(await asked).toEqual({ ok: true, value: 'ok' });
  });

  it("should cap a fleet's refusal at the longest lease or break this breaker could have", async () => {
    const clock = new FakeClock();
    const { fleet, answers } = slowFleet();
    const breaker = circuitBreaker({
      strategy: { type: 'consecutive', threshold: 1 },
      breakDuration: { initialMs: 1000, maxMs: 4000, jitter: 0 },
      probeTimeoutMs: 3000,
      clock,
      fleet,
    });
    await settle(breaker.execute(down));
    await clock.advance(1000);
    const refused = settle(breaker.execute(up));
    await clock.flush();
    answers[0]!(3_600_000);
    const result = await refused;
    expect(result.ok ? 0 : result.error.retryAfterMs).toBe(4000);
  });
});

describe('circuitBreaker with a fleet that misbehaves', () => {
  function brokenFleet(
    member: Partial<CircuitFleetMember>,
    sent?: (send: (state: CircuitFleetState) => void) => void,
  ): CircuitFleet {
    return {
      joinCircuit(_name, onChange) {
        sent?.(onChange);
        return { publish: () => {}, acquireProbe: () => Promise.resolve(0), leave: () => {}, ...member };
      },
    };
  }

  it('should refuse a fleet without joinCircuit at construction', () => {
    expect(() => circuitBreaker({ fleet: {} as CircuitFleet })).toThrow(
      /circuitBreaker: fleet must have joinCircuit\(name, onChange, options\)/,
    );
  });

  it('should go on with local state when publish throws or acquireProbe rejects, and report both', async () => {
    const reported: string[] = [];
    onPluginError((_error, _plugin, hook) => reported.push(hook));
    const clock = new FakeClock();
    const breaker = circuitBreaker({
      strategy: { type: 'consecutive', threshold: 1 },
      breakDuration: 1000,
      clock,
      fleet: brokenFleet({
        publish: () => {
          throw new Error('store down');
        },
        acquireProbe: () => Promise.reject(new Error('store down')),
      }),
    });
    await settle(breaker.execute(down));
    expect(breaker.state).toBe('open');
    await clock.advance(1000);
    expect(await breaker.execute(up)).toBe('ok');
    expect(breaker.state).toBe('closed');
    expect(reported).toEqual(['publish', 'acquireProbe', 'publish']);
  });

  it('should ignore and report a state from the fleet that is not a CircuitFleetState', async () => {
    const reported: unknown[] = [];
    onPluginError((error) => reported.push(error));
    let send!: (state: CircuitFleetState) => void;
    const breaker = circuitBreaker({ fleet: brokenFleet({}, (onChange) => (send = onChange)) });
    send({ state: 'open', openForMs: Number.NaN, consecutiveOpens: 1 });
    send({ state: 'broken' as 'open', openForMs: 0, consecutiveOpens: 0 });
    expect(breaker.state).toBe('closed');
    expect(reported).toHaveLength(2);
  });

  it('should cut a break from the fleet that is longer than this breaker could ever set', () => {
    let send!: (state: CircuitFleetState) => void;
    const clock = new FakeClock();
    const breaker = circuitBreaker({
      breakDuration: { initialMs: 1000, maxMs: 4000, jitter: 0 },
      clock,
      fleet: brokenFleet({}, (onChange) => (send = onChange)),
    });
    send({ state: 'open', openForMs: 3_600_000, consecutiveOpens: 1 });
    expect(breaker.retryAfterMs).toBe(4000);
  });
});
