// Tables for the terminal (and the README), from the rows the scenarios return.

const num = (value, digits) =>
  Number.isFinite(value)
    ? value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';

function ns(value) {
  if (value >= 1e6) return `${num(value / 1e6, 2)} ms`;
  if (value >= 1e3) return `${num(value / 1e3, 2)} us`;
  return `${num(value, 1)} ns`;
}

function table(header, rows) {
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`,
  ];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

export function timingTable(rows) {
  return table(
    ['scenario', 'subject', 'ns/op', 'ops/s', 'ratio to bare', 'ratio min-max'],
    rows.map((row) =>
      row.refused
        ? [row.scenario, row.name, 'REFUSED', '', '', row.refused.split('\n')[0]]
        : [
            row.scenario,
            row.name,
            ns(row.nsPerOp),
            num(row.opsPerSec, 0),
            `${num(row.ratio, 2)}x`,
            `${num(row.ratioMin, 2)}-${num(row.ratioMax, 2)}`,
          ],
    ),
  );
}

export function heapTable(rows) {
  const per = rows.filter((row) => row.measure === 'per-breaker');
  const growth = rows.filter((row) => row.measure === 'growth');
  const perTable = table(
    ['E', 'subject', 'bytes/breaker, new', 'bytes/breaker, after 1 call', 'instances'],
    per.map((row) =>
      row.ok
        ? ['heap', row.name, num(row.bytesFresh, 0), num(row.bytesAfterOneCall, 0), num(row.instances, 0)]
        : ['heap', row.name, 'REFUSED', row.refused, ''],
    ),
  );
  const growthTable = table(
    ['E', 'subject', 'heap growth', 'bytes/call', 'calls'],
    growth.map((row) =>
      row.ok
        ? [
            'growth',
            row.name,
            `${num(row.growthBytes / 1024 / 1024, 2)} MiB`,
            num(row.growthBytes / row.calls, 2),
            num(row.calls, 0),
          ]
        : ['growth', row.name, 'REFUSED', row.refused, ''],
    ),
  );
  return `${perTable}\n\n${growthTable}`;
}

export function budgetTable(verdicts) {
  return table(
    ['scenario', 'budget', 'figure', 'verdict'],
    verdicts.map((v) => [
      v.scenario,
      v.budget,
      v.figure ?? 'no figure',
      v.met === undefined ? 'n/a' : v.met ? 'met' : 'MISSED',
    ]),
  );
}

export function environmentLines(env) {
  return [
    ...Object.entries(env.versions).map(([name, version]) => `${name} ${version}`),
    `Node ${env.node} (V8 ${env.v8}), ${env.platform}`,
    `CPU ${env.cpu}, ${env.cores} cores`,
  ].join('; ');
}
