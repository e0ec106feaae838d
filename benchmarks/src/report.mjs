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

/** A Markdown table; `right`: how many leading columns after the first two are right-aligned (default: all). */
function table(header, rows, right = header.length) {
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i < 2 || i >= 2 + right ? '---' : '---:')).join('|')}|`,
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

/** Microseconds as µs, or as ms from 1,000 µs on. */
function us(value) {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 1e3 ? `${num(value / 1e3, 2)} ms` : `${num(value, 1)} us`;
}

const perCall = (counts, calls) =>
  Object.entries(counts)
    .map(([command, count]) => `${command} x${num(count / calls, count % calls ? 2 : 0)}`)
    .join(', ') || 'none';

/** Scenario I's tables: round trips, latency, propagation and dead Redis, from its runner's result. */
export function fleetTables(result) {
  const refusedRow = (row, width) => [
    'I',
    row.name,
    'REFUSED',
    row.refused.split('\n')[0],
    ...Array(width - 4).fill(''),
  ];
  const trips = table(
    [
      'I',
      'round trips',
      'per call',
      'design',
      'server commands, scripts included',
      'server time',
      'sent',
      'run inside scripts',
    ],
    result.roundTrips.map((row) =>
      row.refused
        ? refusedRow(row, 8)
        : [
            'I',
            row.unit === 'transition' ? `${row.name}, per transition` : row.name,
            num(row.roundTripsPerCall, 2),
            row.design === undefined ? '-' : String(row.design),
            num(row.commandsPerCall, 2),
            us(row.serverUsPerCall),
            perCall(row.sent, row.calls),
            perCall(row.inScripts, row.calls),
          ],
    ),
    4,
  );
  const timed = result.roundTrips.filter((row) => row.latency !== undefined);
  const bare = result.bare;
  const latency = table(
    ['I', 'latency per call', 'median', 'p99', 'PING, same client, just before', 'median in PINGs', 'calls'],
    [
      ...(bare
        ? [['I', 'bare await fn()', us(bare.medianUs), us(bare.p99Us), '', '', num(bare.calls, 0)]]
        : []),
      ...timed.map(({ name, latency: l }) => [
        'I',
        name,
        us(l.medianUs),
        us(l.p99Us),
        us(l.pingMedianUs),
        num(l.inPings, 2),
        num(l.calls, 0),
      ]),
      ...result.roundTrips
        .filter((row) => row.refused && row.key !== 'I.transition')
        .map((row) => refusedRow(row, 7)),
    ],
  );
  const rows = [];
  const p = result.propagation;
  if (p?.refused) rows.push(refusedRow(p, 4));
  else if (p) {
    const inPings = (ratio, idle) =>
      `${num(ratio, 2)} PING round trips back to back (median ${us(p.pingMedianUs)}), ${num(idle, 2)} PINGs sent after 2 ms idle (median ${us(p.idlePingMedianUs)})`;
    rows.push([
      'I',
      `${p.name} (median of ${p.trips} trips)`,
      us(p.medianUs),
      `${inPings(p.inPings, p.inIdlePings)}; max ${us(p.maxUs)}`,
    ]);
    rows.push([
      'I',
      "the same trips seen by a breaker in A's process (another client and fleet)",
      us(p.sameProcessMedianUs),
      `${inPings(p.sameProcessInPings, p.sameProcessInIdlePings)}; this process also runs A's side of the trip`,
    ]);
  }
  const d = result.deadRedis;
  if (d?.refused) rows.push(refusedRow(d, 4));
  else if (d) {
    rows.push([
      'I',
      `Redis killed: first call (commandTimeoutMs ${d.commandTimeoutMs})`,
      `${num(d.firstCallMs, 1)} ms`,
      `fleet event: ${d.event}`,
    ]);
    rows.push([
      'I',
      `Redis killed: next ${num(d.nextCalls, 0)} calls (recheckMs ${num(d.recheckMs, 0)})`,
      us(d.nextMedianUs),
      `median; p99 ${us(d.nextP99Us)}; ${num(d.resolved, 0)} of ${num(d.nextCalls + 1, 0)} calls resolved, ${d.rejected} rejected`,
    ]);
  }
  for (const anchor of result.notMeasured ?? []) rows.push(['I', anchor.name, 'not measured', anchor.reason]);
  const other = table(['I', 'measure', 'figure', 'detail'], rows, 1);
  const versions = Object.entries(result.versions ?? {})
    .map(([name, version]) => `${name} ${version}`)
    .join('; ');
  return [`I. Fleet state in Redis, on loopback (${versions}):`, '', trips, '', latency, '', other].join(
    '\n',
  );
}
