/**
 * A property test of breakers sharing a fleet: under random interleavings of calls, endings, time and
 * message delivery across three "processes", the fleet never has two live probes at once, a call never
 * hangs in admission, and every process ends up agreeing with the fleet once messages are delivered.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { httpError, settle } from '../../../test/helpers';
import { FakeClock } from '../../clock/fake-clock';
import { type CircuitBreakerPolicy, circuitBreaker } from './circuit-breaker';
import { memoryCircuitFleet } from './memory-circuit-fleet';

const PROBE_TIMEOUT_MS = 3000;

type Command =
  | { readonly type: 'call'; readonly process: number; readonly ending: 'success' | 'failure' | 'pending' }
  | { readonly type: 'settle'; readonly index: number; readonly success: boolean }
  | { readonly type: 'advance'; readonly ms: number }
  | { readonly type: 'flush' };

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('call' as const),
      process: fc.integer({ min: 0, max: 2 }),
      ending: fc.constantFrom('failure' as const, 'pending' as const, 'success' as const),
    }),
  },
  fc.record({
    type: fc.constant('call' as const),
    process: fc.integer({ min: 0, max: 2 }),
    ending: fc.constantFrom('success' as const, 'failure' as const, 'pending' as const),
  }),
  fc.record({ type: fc.constant('settle' as const), index: fc.nat(20), success: fc.boolean() }),
  fc.record({ type: fc.constant('advance' as const), ms: fc.constantFrom(0, 500, 1000, 2000, 3000) }),
  fc.constant({ type: 'flush' as const }),
);

interface Running {
  readonly startedAt: number;
  /** Whether the fleet was half-open right after this call was let in: it is the probe. */
  readonly probe: boolean;
  settle(success: boolean): void;
  done: boolean;
}

describe('circuitBreaker fleet property', () => {
  it('should never run two live probes across the fleet, and converge once messages are delivered', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 10, maxLength: 60, size: 'max' }), async (commands) => {
        const clock = new FakeClock();
        const fleet = memoryCircuitFleet({ clock });
        const breakers: CircuitBreakerPolicy[] = [0, 1, 2].map(() =>
          circuitBreaker({
            name: 'provider',
            strategy: { type: 'consecutive', threshold: 2 },
            breakDuration: { initialMs: 1000, factor: 2, maxMs: 4000, jitter: 0 },
            probeTimeoutMs: PROBE_TIMEOUT_MS,
            clock,
            fleet,
          }),
        );
        const running: Running[] = [];
        for (const step of commands) {
          if (step.type === 'call') {
            let finish!: (success: boolean) => void;
            const entry: Running = { startedAt: 0, probe: false, settle: () => {}, done: false };
            const result = settle(
              breakers[step.process]!.execute(() => {
                const halfOpen = fleet.inspect('provider')?.state === 'half-open';
                Object.assign(entry, { startedAt: clock.now(), probe: halfOpen });
                running.push(entry);
                if (step.ending !== 'pending') {
                  entry.done = true;
                  return step.ending === 'success' ? Promise.resolve('ok') : Promise.reject(httpError(503));
                }
                return new Promise<string>((resolve, reject) => {
                  finish = (success) => (success ? resolve('ok') : reject(httpError(503)));
                });
              }),
            );
            entry.settle = (success) => {
              entry.done = true;
              finish?.(success);
            };
            await clock.flush();
            // Admission never hangs: a call is let in or refused within the flush.
            expect(result.settled() !== undefined || running.includes(entry)).toBe(true);
          } else if (step.type === 'settle') {
            const open = running.filter((entry) => !entry.done);
            if (open.length > 0) open[step.index % open.length]!.settle(step.success);
            await clock.flush();
          } else if (step.type === 'advance') {
            await clock.advance(step.ms);
          } else {
            await clock.flush();
          }
          const now = clock.now();
          const liveProbes = running.filter(
            (entry) => entry.probe && !entry.done && now - entry.startedAt < PROBE_TIMEOUT_MS,
          );
          expect(liveProbes.length).toBeLessThanOrEqual(1);
        }
        await clock.flush();
        const record = fleet.inspect('provider');
        const fleetState = record === undefined || record.state === 'closed' ? 'closed' : 'not closed';
        for (const breaker of breakers) {
          expect(breaker.state === 'closed' ? 'closed' : 'not closed').toBe(fleetState);
        }
      }),
      { numRuns: 500 },
    );
  });
});
