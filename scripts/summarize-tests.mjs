// Sums the JSON reports that vitest writes under CI into one closing line: "N passed, N failed".
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
let reports = 0;
for (const group of ['packages', 'apps', '.']) {
  const folders =
    group === '.'
      ? ['benchmarks']
      : existsSync(group)
        ? readdirSync(group).map((name) => join(group, name))
        : [];
  for (const folder of folders) {
    const file = join(folder, '.vitest-results.json');
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    reports++;
  }
}
if (reports === 0) {
  console.error('No vitest report found: did the tests run?');
  process.exit(1);
}
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
