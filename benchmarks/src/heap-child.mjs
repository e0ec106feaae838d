// E, one case per process (run with --expose-gc by scenarios/e-heap.mjs): heap per breaker, or heap
// growth over many successful calls through one breaker. Prints one JSON line.
import { resilient } from '@resilient/core';
import { CircuitState } from 'cockatiel';
import { cockatiel, opossum, ours } from './breakers.mjs';
import { counting, expect, VerificationError } from './harness.mjs';

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const [kind, lib, countText] = process.argv.slice(2);
const count = Number(countText);

/** How each library builds one breaker, runs one call through it, and says it is closed. */
const LIBS = {
  'resilient-consecutive': {
    make: () => ours.consecutive(),
    call: (b, f) => b.execute(f),
    closed: (b) => b.state === 'closed',
  },
  'resilient-sampling': {
    make: () => ours.sampling(),
    call: (b, f) => b.execute(f),
    closed: (b) => b.state === 'closed',
  },
  'resilient-pipeline': {
    make: () => resilient({ service: 'bench' }),
    call: (b, f) => b.execute(f),
    closed: (b) => b.breaker.state === 'closed',
  },
  'cockatiel-consecutive': {
    make: () => cockatiel.consecutive(),
    call: (b, f) => b.execute(f),
    closed: (b) => b.state === CircuitState.Closed,
  },
  // opossum's action is fixed at construction; every instance wraps the same counting function.
  'opossum-defaults': {
    make: (action) => opossum(action),
    call: (b) => b.fire(),
    closed: (b) => b.closed,
    dispose: (b) => b.shutdown(),
  },
};

const spec = LIBS[lib];
if (spec === undefined) throw new Error(`unknown lib ${lib}`);

function heapAfterGc() {
  for (let i = 0; i < 4; i++) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

async function perBreaker() {
  const spy = counting();
  // Warm up: load every code path and module-level structure first.
  const warm = Array.from({ length: 200 }, () => spec.make(spy));
  for (const breaker of warm) await spec.call(breaker, spy);
  for (const breaker of warm) spec.dispose?.(breaker);
  const keep = new Array(count).fill(null);
  const before = heapAfterGc();
  for (let i = 0; i < count; i++) keep[i] = spec.make(spy);
  const fresh = heapAfterGc();
  spy.calls = 0;
  for (const breaker of keep)
    expect((await spec.call(breaker, spy)) === 42, `${lib}: a call must resolve with 42`);
  const used = heapAfterGc();
  expect(spy.calls === count, `${lib}: ${count} breakers must each run fn once, ran ${spy.calls}`);
  expect(keep.every(spec.closed), `${lib}: every breaker must be closed`);
  const result = {
    instances: count,
    bytesFresh: (fresh - before) / count,
    bytesAfterOneCall: (used - before) / count,
  };
  for (const breaker of keep) spec.dispose?.(breaker);
  return result;
}

async function growth() {
  const spy = counting();
  const breaker = spec.make(spy);
  const call = () => spec.call(breaker, spy);
  for (let i = 0; i < 10_000; i++) await call();
  spy.calls = 0;
  const before = heapAfterGc();
  for (let i = 0; i < count; i++) await call();
  const after = heapAfterGc();
  expect(spy.calls === count, `${lib}: ${count} calls must run fn ${count} times, ran ${spy.calls}`);
  expect(spec.closed(breaker), `${lib}: the breaker must be closed`);
  expect((await call()) === 42, `${lib}: a call must resolve with 42`);
  spec.dispose?.(breaker);
  return { calls: count, growthBytes: after - before };
}

try {
  const result = kind === 'per-breaker' ? await perBreaker() : await growth();
  process.stdout.write(`${JSON.stringify({ ok: true, ...result })}\n`);
} catch (error) {
  const refused = error instanceof VerificationError ? error.message : `crashed: ${error?.stack ?? error}`;
  process.stdout.write(`${JSON.stringify({ ok: false, refused })}\n`);
}
