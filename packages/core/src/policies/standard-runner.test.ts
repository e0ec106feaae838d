import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { httpError, networkError, never, settle } from '../../test/helpers';
import { FakeClock } from '../clock/fake-clock';
import { circuitBreaker } from './breaker/circuit-breaker';
import { nestedPipeline, pipeline } from './pipeline';
import { type ResilientOptions, resilient } from './resilient';
import { constantBackoff } from './retry/backoff';
import { retry } from './retry/retry';
import { timeout } from './timeout/timeout';

type Step = 'ok' | '400' | '429' | '500' | '503' | 'reset' | 'refused' | 'hang' | 'slow';

function provider(script: Step[], clock: FakeClock) {
  let call = 0;
  const calls: number[] = [];
  const fn = async () => {
    calls.push(clock.now());
    const step = script[call++ % script.length];
    switch (step) {
      case 'ok':
        return `value ${call}`;
      case 'reset':
        throw networkError('ECONNRESET');
      case 'refused':
        throw networkError('ECONNREFUSED');
      case 'hang':
        return never<string>();
      case 'slow':
        await new Promise((resolve) => clock.setTimeout(() => resolve(undefined), 700));
        return `slow ${call}`;
      default:
        throw httpError(Number(step), { headers: { 'retry-after': '1' } });
    }
  };
  return { fn, calls };
}

function describeOutcome(result: { ok: boolean; value?: unknown; error?: any } | undefined) {
  if (result === undefined) return 'pending';
  return result.ok
    ? `ok ${String(result.value)}`
    : `${result.error.name} ${result.error.kind} ${result.error.attempts}`;
}

describe('the one-loop standard runner', () => {
  it('decides exactly as the same policies composed with pipeline()', async () => {
    const step = fc.constantFrom<Step>('ok', '400', '429', '500', '503', 'reset', 'refused', 'hang', 'slow');
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        fc.record({
          fallback: fc.boolean(),
          bulkhead: fc.boolean(),
          rateLimit: fc.boolean(),
          totalTimeout: fc.boolean(),
        }),
        async (script, operations, idempotent, parts) => {
          const build = (clock: FakeClock) => {
            const options: ResilientOptions = {
              service: 'p',
              clock,
              random: () => 0.5,
              attemptTimeoutMs: 1_000,
              totalTimeoutMs: parts.totalTimeout ? 4_000 : false,
              retry: {
                maxAttempts: 3,
                backoff: constantBackoff(100),
                budget: { maxTokens: 3, ratio: 0, minRetriesPerSecond: 0 },
              },
              circuitBreaker: { strategy: { type: 'consecutive', threshold: 3 }, breakDuration: 2_000 },
              fallback: parts.fallback ? { value: 'fallback' } : false,
              bulkhead: parts.bulkhead ? { maxConcurrent: 1, maxQueue: 0 } : false,
              rateLimit: parts.rateLimit ? { limit: 2, intervalMs: 1_000, maxWaitMs: 600 } : false,
            };
            return resilient(options);
          };
          const fusedClock = new FakeClock();
          const nestedClock = new FakeClock();
          const fused = build(fusedClock);
          const nested = nestedPipeline([...build(nestedClock).policies]);
          const fusedProvider = provider(script, fusedClock);
          const nestedProvider = provider(script, nestedClock);
          for (let operation = 0; operation < operations; operation++) {
            const a = settle(fused.execute(fusedProvider.fn, { idempotent }));
            const b = settle(nested.execute(nestedProvider.fn, { idempotent }));
            await fusedClock.advance(5_000);
            await nestedClock.advance(5_000);
            expect(describeOutcome(a.settled())).toBe(describeOutcome(b.settled()));
          }
          expect(fusedProvider.calls).toEqual(nestedProvider.calls);
        },
      ),
      { numRuns: 150 },
    );
  });
  it('runs a hand-built pipeline in the standard order as one loop, with the same decisions', async () => {
    const step = fc.constantFrom<Step>('ok', '503', 'reset', 'hang', 'slow', '429');
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        async (script, idempotent) => {
          const build = (clock: FakeClock) =>
            [
              timeout(4_000, { clock }),
              retry({ clock, backoff: constantBackoff(100), budget: false }),
              circuitBreaker({
                clock,
                strategy: { type: 'consecutive', threshold: 2 },
                breakDuration: 1_000,
              }),
              timeout(1_000, { clock }),
            ] as const;
          const fusedClock = new FakeClock();
          const nestedClock = new FakeClock();
          const fused = pipeline([...build(fusedClock)]);
          const nested = nestedPipeline([...build(nestedClock)]);
          const fusedProvider = provider(script, fusedClock);
          const nestedProvider = provider(script, nestedClock);
          for (let operation = 0; operation < 3; operation++) {
            const a = settle(fused.execute(fusedProvider.fn, { idempotent }));
            const b = settle(nested.execute(nestedProvider.fn, { idempotent }));
            await fusedClock.advance(5_000);
            await nestedClock.advance(5_000);
            expect(describeOutcome(a.settled())).toBe(describeOutcome(b.settled()));
          }
          expect(fusedProvider.calls).toEqual(nestedProvider.calls);
        },
      ),
      { numRuns: 100 },
    );
  });
});
