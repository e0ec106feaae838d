// The benchmark harness: every scenario for @resilient/core, cockatiel and opossum against a bare
// `await fn()`, in one process run (heap cases in child processes started from here), and scenario I,
// @resilient/redis's fleet against a redis-server child process, with a runner of its own.
//
//   node --expose-gc src/main.mjs            full run; writes results/latest.json
//   node --expose-gc src/main.mjs --quick    few iterations: proves every scenario runs and does its work
//   --only=A,D                               a subset of scenarios
//
// Exits 1 if any subject failed its verification (its figure is refused); never because of a time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { judge } from './budgets.mjs';
import { environment } from './env.mjs';
import { runScenario } from './harness.mjs';
import { budgetTable, environmentLines, fleetTables, heapTable, timingTable } from './report.mjs';
import a from './scenarios/a-retry.mjs';
import b from './scenarios/b-breaker.mjs';
import c from './scenarios/c-pipeline.mjs';
import d from './scenarios/d-open.mjs';
import { runHeap } from './scenarios/e-heap.mjs';
import f from './scenarios/f-failing.mjs';
import g from './scenarios/g-window.mjs';
import h from './scenarios/h-otel.mjs';
import i from './scenarios/i-redis.mjs';

const SCENARIOS = [a, b, c, d, f, g, h, i];

const args = process.argv.slice(2);
const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';
const mode = quick ? 'quick' : 'full';
const onlyArg = args.find((arg) => arg.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice(7).toUpperCase().split(',')) : undefined;
const wanted = (id) => only === undefined || only.has(id);
const rounds = quick ? 1 : 5;
const log = (line) => process.stderr.write(`${line}\n`);

const env = environment();
const started = performance.now();
log(`benchmarks (${mode}, ${rounds} round${rounds > 1 ? 's' : ''}): ${environmentLines(env)}`);
if (typeof globalThis.gc !== 'function') log('  note: run with --expose-gc for a GC between measurements');

const timing = [];
const pending = [];
/** Scenario I's result (its own runner: round trips, latency, propagation, dead Redis). */
let fleet;
for (const scenario of SCENARIOS) {
  if (!wanted(scenario.id)) continue;
  if (scenario.pending) {
    pending.push({ scenario: scenario.id, title: scenario.title, pending: scenario.pending });
    log(`${scenario.id}. ${scenario.title}: PENDING (${scenario.pending})`);
    continue;
  }
  const t0 = performance.now();
  if (scenario.run) fleet = await scenario.run({ mode, log });
  else timing.push(...(await runScenario(scenario, { mode, rounds, log })));
  log(`${scenario.id}. ${scenario.title}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
let heap = [];
if (wanted('E')) {
  const t0 = performance.now();
  heap = await runHeap({ mode, log });
  log(`E. heap per breaker and heap growth: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const order = 'ABCDEFGHI';
timing.sort((x, y) => order.indexOf(x.scenario) - order.indexOf(y.scenario));
// With --only, the budgets of the scenarios left out would only say "no figure".
const verdicts = quick ? [] : judge(timing, heap).filter((verdict) => wanted(verdict.scenario));
const refused = [
  ...timing.filter((row) => row.refused),
  ...heap.filter((row) => !row.ok),
  ...(fleet?.refused ?? []),
];
const fleetFigures = fleet ? fleet.verified + fleet.refused.length : 0;
const verified = timing.length + heap.length + fleetFigures - refused.length;
const seconds = (performance.now() - started) / 1000;

const out = [];
out.push('');
out.push(`Environment: ${environmentLines(env)}`);
out.push(
  `Mode: ${mode}, ${rounds} round(s); ns/op and ratio are medians over rounds; ${seconds.toFixed(0)} s in all.`,
);
if (quick)
  out.push(
    'QUICK MODE: few iterations, the figures below only prove that each scenario runs; do not quote them.',
  );
out.push('');
if (timing.length) out.push(timingTable(timing), '');
if (heap.length) out.push(heapTable(heap), '');
if (fleet) out.push(fleetTables(fleet), '');
for (const p of pending) out.push(`${p.scenario}. ${p.title}: pending, ${p.pending}.`, '');
if (verdicts.length) out.push('Budgets (ratios to the bare call):', '', budgetTable(verdicts), '');
out.push(`benchmarks: ${verified} passed, ${refused.length} failed`);
process.stdout.write(`${out.join('\n')}\n`);

if (!quick && only === undefined) {
  const dir = new URL('../results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const json = {
    environment: env,
    mode,
    rounds,
    seconds,
    timing,
    heap,
    pending,
    budgets: verdicts,
    fleet: fleet ?? null,
  };
  writeFileSync(new URL('latest.json', dir), `${JSON.stringify(json, null, 2)}\n`);
  log('wrote benchmarks/results/latest.json');
}
process.exitCode = refused.length ? 1 : 0;
