// E. Heap: bytes per breaker (10,000 instances, after a forced GC) and heap growth over 1,000,000
// successful calls through one breaker. Each case runs in its own `node --expose-gc` process, so no
// other scenario's garbage or JIT state is counted.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('../heap-child.mjs', import.meta.url));

const PER_BREAKER = [
  ['resilient-consecutive', '@resilient/core breaker, consecutive', 'resilient'],
  ['resilient-sampling', '@resilient/core breaker, sampling', 'resilient'],
  ['cockatiel-consecutive', 'cockatiel breaker, consecutive', 'cockatiel'],
  ['opossum-defaults', 'opossum breaker, defaults', 'opossum'],
];
const GROWTH = [
  ['resilient-consecutive', '@resilient/core breaker, consecutive', 'resilient'],
  ['resilient-sampling', '@resilient/core breaker, sampling', 'resilient'],
  ['resilient-pipeline', '@resilient/core resilient() defaults', 'resilient'],
  ['cockatiel-consecutive', 'cockatiel breaker, consecutive', 'cockatiel'],
  ['opossum-defaults', 'opossum breaker, defaults', 'opossum'],
];

async function child(kind, lib, count) {
  const { stdout } = await run(process.execPath, ['--expose-gc', CHILD, kind, lib, String(count)], {
    timeout: 120_000,
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').pop());
}

export async function runHeap({ mode, log }) {
  const instances = mode === 'quick' ? 1_000 : 10_000;
  const calls = mode === 'quick' ? 20_000 : 1_000_000;
  const rows = [];
  for (const [lib, name, owner] of PER_BREAKER) {
    const result = await child('per-breaker', lib, instances);
    if (!result.ok) log(`  REFUSED E ${name}: ${result.refused}`);
    rows.push({ scenario: 'E', measure: 'per-breaker', name, lib: owner, key: `E.per.${lib}`, ...result });
  }
  for (const [lib, name, owner] of GROWTH) {
    const result = await child('growth', lib, calls);
    if (!result.ok) log(`  REFUSED E ${name}: ${result.refused}`);
    rows.push({ scenario: 'E', measure: 'growth', name, lib: owner, key: `E.growth.${lib}`, ...result });
  }
  return rows;
}
