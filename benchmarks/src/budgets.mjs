// The budgets of the issue (ratios to a bare `await fn()`), judged on a full run's figures.

const KIB = 1024;
/** Heap growth under this over a whole run counts as none: less than 0.07 bytes per call over 1,000,000. */
export const NO_GROWTH_BYTES = 64 * KIB;
/** "Flat": the failure at 100,000 successes in the window costs at most this multiple of the one at 0. */
export const FLAT_FACTOR = 1.5;

const fmt = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

export function judge(timing, heap) {
  const byKey = new Map([...timing, ...heap].filter((row) => row.key).map((row) => [row.key, row]));
  const ratio = (key) => (byKey.get(key)?.refused ? undefined : byKey.get(key)?.ratio);
  const verdicts = [];
  const add = (scenario, budget, figure, met) =>
    verdicts.push({ scenario, budget, figure, met: figure === undefined ? undefined : met });

  const atMost = (scenario, key, label, limit) => {
    const value = ratio(key);
    add(
      scenario,
      `${label} <= ${limit}x`,
      value === undefined ? undefined : `${fmt(value)}x`,
      value <= limit,
    );
  };
  atMost('A', 'A.us', 'retry, success', 2.5);
  atMost('B', 'B.us.consecutive', 'breaker (consecutive), success', 2.5);
  atMost('B', 'B.us.sampling', 'breaker (sampling), success', 2.5);
  atMost('C', 'C.us.resilient', 'resilient() defaults, success', 5);
  atMost('C', 'C.us.pipeline', 'pipeline(timeout, retry, breaker, timeout), success', 5);

  for (const key of ['D.us', 'D.us.resilient']) {
    const ours = ratio(key);
    const theirs = ratio('D.cockatiel');
    const speedup = ours === undefined || theirs === undefined ? undefined : theirs / ours;
    add(
      'D',
      `${key === 'D.us' ? 'open breaker' : 'resilient(), isolated breaker'}: >= 3x faster than cockatiel`,
      speedup === undefined ? undefined : `${fmt(speedup)}x faster (${fmt(ours, 1)}x vs ${fmt(theirs, 1)}x)`,
      speedup >= 3,
    );
  }

  for (const lib of ['resilient-consecutive', 'resilient-sampling']) {
    const row = byKey.get(`E.per.${lib}`);
    const bytes = row?.ok ? Math.max(row.bytesFresh, row.bytesAfterOneCall) : undefined;
    add(
      'E',
      `heap per breaker (${lib.slice(10)}) <= 600 B`,
      bytes === undefined ? undefined : `${Math.round(bytes)} B`,
      bytes <= 600,
    );
  }
  for (const lib of ['resilient-consecutive', 'resilient-sampling', 'resilient-pipeline']) {
    const row = byKey.get(`E.growth.${lib}`);
    const bytes = row?.ok ? row.growthBytes : undefined;
    add(
      'E',
      `heap growth over ${row?.calls?.toLocaleString('en') ?? '?'} calls (${lib.slice(10)}) = 0 (< 64 KiB)`,
      bytes === undefined ? undefined : `${(bytes / KIB).toFixed(1)} KiB`,
      bytes < NO_GROWTH_BYTES,
    );
  }

  atMost('F', 'F.us', 'failing call, 3 attempts, no delay', 100);

  const zero = ratio('G.us.0');
  for (const volume of [10_000, 100_000]) {
    const value = ratio(`G.us.${volume}`);
    const growth = zero === undefined || value === undefined ? undefined : value / zero;
    add(
      'G',
      `failure cost flat: ${volume.toLocaleString('en')} vs 0 in window <= ${FLAT_FACTOR}x`,
      growth === undefined ? undefined : `${fmt(growth)}x (${fmt(value, 1)}x vs ${fmt(zero, 1)}x)`,
      growth <= FLAT_FACTOR,
    );
  }
  return verdicts;
}
