// The measuring loop shared by every timing scenario: build, verify, measure, check again, in rounds.
import { measure } from 'mitata';

/** The function every scenario wraps, and the bare call every ratio is taken against. */
export const fn = async () => 42;

/** Swallows the rejection of a failing call, so a rejected promise costs no unhandled-rejection work. */
export const noop = () => {};

/** A failed verification: the scenario does not do the work it claims, so no figure is printed. */
export class VerificationError extends Error {
  name = 'VerificationError';
}

export function expect(condition, message) {
  if (!condition) throw new VerificationError(message);
}

/** An async function that counts its calls: `calls` on the function itself. */
export function counting(impl = () => 42) {
  const counted = async (...args) => {
    counted.calls++;
    return impl(...args);
  };
  counted.calls = 0;
  return counted;
}

/** Awaits `promise`, expecting it to reject; returns the rejection. */
export async function rejection(promise, what) {
  try {
    const value = await promise;
    throw new VerificationError(`${what}: expected a rejection, got ${String(value)}`);
  } catch (error) {
    if (error instanceof VerificationError) throw error;
    return error;
  }
}

/** The bare call, `await fn()`, measured next to every subject. */
export const bare = {
  name: 'bare await fn()',
  lib: 'bare',
  setup: () => ({
    run: () => fn(),
    async verify() {
      expect((await fn()) === 42, 'fn() must resolve with 42');
    },
  }),
};

/** mitata options per mode; a scenario may narrow them (see G). */
export function measureOptions(mode, overrides = {}) {
  const base =
    mode === 'quick'
      ? { min_cpu_time: 0, min_samples: 2, max_samples: 4, batch_samples: 64, warmup_samples: 1 }
      : { min_cpu_time: 200e6, min_samples: 12 };
  return { ...base, ...overrides[mode] };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const collect = () => globalThis.gc?.();

/**
 * Runs one timing scenario. In each round every subject is built fresh, verified, measured right after
 * a measurement of the bare call (its ratio is to that neighbour, so slow drifts of a noisy machine
 * cancel out), and checked again; the order rotates between rounds. A subject whose verification fails
 * is refused: no figure, and the reason instead.
 */
export async function runScenario(scenario, { mode, rounds, log }) {
  const options = measureOptions(mode, scenario.measure);
  const bareRun = bare.setup();
  await bareRun.verify();
  const bareTimes = [];
  const state = scenario.subjects.map((subject) => ({ subject, rounds: [], refused: undefined }));
  for (let round = 0; round < rounds; round++) {
    const order = state.map((_, index) => state[(index + round) % state.length]);
    for (const entry of order) {
      if (entry.refused !== undefined) continue;
      let context;
      try {
        context = await entry.subject.setup();
        await context.verify();
        collect();
        const baseline = await measure(bareRun.run, options);
        const stats = await measure(context.run, options);
        if (context.check !== undefined) await context.check();
        bareTimes.push(baseline.p50);
        entry.rounds.push({ ns: stats.p50, ratio: stats.p50 / baseline.p50 });
      } catch (error) {
        entry.refused =
          error instanceof VerificationError ? error.message : `crashed: ${error?.stack ?? error}`;
        log(`  REFUSED ${scenario.id} ${entry.subject.name}: ${entry.refused}`);
      } finally {
        try {
          await context?.dispose?.();
        } catch {}
      }
    }
  }
  const bareNs = median(bareTimes);
  const bareRow = {
    scenario: scenario.id,
    name: bare.name,
    lib: 'bare',
    nsPerOp: bareNs,
    opsPerSec: 1e9 / bareNs,
    ratio: 1,
    ratioMin: 1,
    ratioMax: 1,
    rounds: bareTimes.length,
    nsMin: Math.min(...bareTimes),
    nsMax: Math.max(...bareTimes),
  };
  return [
    bareRow,
    ...state.map(({ subject, rounds: measured, refused }) => {
      if (refused !== undefined || measured.length === 0)
        return {
          scenario: scenario.id,
          name: subject.name,
          lib: subject.lib,
          key: subject.key,
          refused: refused ?? 'not measured',
        };
      const ns = median(measured.map((r) => r.ns));
      const ratios = measured.map((r) => r.ratio);
      return {
        scenario: scenario.id,
        name: subject.name,
        lib: subject.lib,
        key: subject.key,
        nsPerOp: ns,
        opsPerSec: 1e9 / ns,
        ratio: median(ratios),
        ratioMin: Math.min(...ratios),
        ratioMax: Math.max(...ratios),
        rounds: measured.length,
        perRound: measured.map((r) => ({
          ns: Math.round(r.ns * 10) / 10,
          ratio: Math.round(r.ratio * 100) / 100,
        })),
      };
    }),
  ];
}
