import { SCENARIO_NAMES } from './scenarios';
import type { DemoSummary, ProviderSummary } from './summary';

export interface FormatContext {
  /** How the signups were sent: `40 signups (20/s, ≤8 in flight)`. */
  readonly burst: string;
  /** Where the spans went. */
  readonly tracing: string;
  readonly durationMs: number;
  /** A trace's address in a UI, when the spans went to one. */
  readonly traceUrl?: ((traceId: string) => string) | undefined;
}

/** `closed→open`, `open→half-open`, `half-open→closed` → `closed → open → half-open → closed`. */
export function breakerStory(provider: ProviderSummary): string {
  const states =
    provider.transitions.length === 0 ? [provider.breaker] : [provider.transitions[0]!.split('→')[0]!];
  for (const transition of provider.transitions) states.push(transition.split('→')[1]!);
  if (states.length <= 7) return states.join(' → ');
  const opened = provider.transitions.filter((transition) => transition.endsWith('→open')).length;
  return `${states.slice(0, 4).join(' → ')} … (opened ${opened}×) … ${states.at(-1)}`;
}

/** `resend unavailable ×5, network ×2`, or `''` for nothing. */
function countsOf(
  provider: string,
  counts: Readonly<Record<string, number | undefined>> | undefined,
): string {
  const entries = Object.entries(counts ?? {});
  if (entries.length === 0) return '';
  return `${provider} ${entries.map(([what, count]) => `${what} ×${count}`).join(', ')}`;
}

/** Per provider, joined with ` · `; `none` when empty. */
function perProvider(summary: DemoSummary, pick: (provider: ProviderSummary) => string): string {
  const parts = summary.providers.map(pick).filter((text) => text !== '');
  return parts.length === 0 ? 'none' : parts.join(' · ');
}

const check = (count: number | undefined): string =>
  count === undefined ? 'not counted (real provider)' : count === 0 ? '0 ✓' : `${count} ✗`;

/** The summary a person reads at a glance. */
export function formatSummary(summary: DemoSummary, context: FormatContext): string {
  const lines: string[] = [];
  const pad = (text: string | number, width: number) => String(text).padStart(width);
  lines.push('');
  lines.push(
    `  ${'provider'.padEnd(10)}${pad('attempts', 9)}${pad('retries', 9)}${pad('429s waited', 13)}${pad('failovers', 11)}${pad('fast-fails', 12)}  breaker`,
  );
  for (const provider of summary.providers) {
    const name = `${provider.provider}${provider.mode === 'real' ? '*' : ''}`;
    const failovers = provider.provider === 'stripe' ? '–' : provider.failovers;
    lines.push(
      `  ${name.padEnd(10)}${pad(provider.attempts, 9)}${pad(provider.retries, 9)}${pad(provider.rateLimitWaits, 13)}${pad(failovers, 11)}${pad(provider.fastFails, 12)}  ${breakerStory(provider)}`,
    );
  }
  if (summary.providers.some((provider) => provider.mode === 'real'))
    lines.push('  * real provider (its key is set); the others are fakes on 127.0.0.1');
  lines.push('');
  const chaos = (p: ProviderSummary): string =>
    [countsOf(p.provider, p.injected), ...p.conditions.map((condition) => `${p.provider} ${condition}`)]
      .filter((text) => text !== '')
      .join(', ');
  lines.push(`  chaos injected   ${perProvider(summary, chaos)}`);
  lines.push(`  failed attempts  ${perProvider(summary, (p) => countsOf(p.provider, p.attemptErrors))}`);
  const { signups, customers, emails } = summary;
  const notes = Object.entries(signups.statuses)
    .filter(([status]) => status !== '201')
    .map(([status, count]) => `${count}× HTTP ${status}`);
  if (signups.createdOnSecondTry > 0)
    notes.push(`${signups.createdOnSecondTry} on the client's second try after a 503, same customer`);
  lines.push(
    `  signups          ${signups.created} of ${signups.total} created${notes.length === 0 ? '' : ` (${notes.join('; ')})`}`,
  );
  lines.push(
    `  customers        ${customers.atProvider === undefined ? `${signups.created} created in your Stripe account` : `${customers.atProvider} at Stripe`} · duplicates ${check(customers.duplicates)}`,
  );
  const byProvider = Object.entries(emails.byProvider)
    .map(([provider, count]) => `${count} ${provider}`)
    .join(', ');
  lines.push(
    `  welcome emails   ${emails.sent} sent${byProvider === '' ? '' : ` (${byProvider})`}${emails.held === 0 ? '' : `, ${emails.held} held back to retry later under the same key`} · duplicates ${check(emails.duplicates)}`,
  );
  const { alerts } = summary;
  lines.push(
    `  alerts           ${alerts.sent}${alerts.sent === 0 ? '' : ` (incidentGate kept ${alerts.suppressed} repeats quiet)`}`,
  );
  lines.push(`  health           ${summary.health.status}`);
  lines.push(`  traces           ${context.tracing}`);
  for (const { label, traceId } of summary.traces.slice(0, 5))
    lines.push(`    ${context.traceUrl?.(traceId) ?? traceId}  ${label}`);
  lines.push('');
  if (summary.problems.length > 0) {
    lines.push(`  ✗ ${summary.problems.join('; ')}`);
  } else {
    const counted = [
      customers.duplicates === undefined ? undefined : 'no duplicate customers',
      emails.duplicates === undefined ? undefined : 'no duplicate emails',
    ].filter((text) => text !== undefined);
    const verdict =
      counted.length === 0 ? 'duplicates are not counted at real providers' : counted.join(', ');
    lines.push(`  ✓ ${verdict} · ${context.burst} in ${(context.durationMs / 1_000).toFixed(1)} s`);
  }
  const others = SCENARIO_NAMES.filter((name) => name !== summary.scenario);
  lines.push(`  other scenarios: pnpm start --scenario=<${others.join('|')}>`);
  return lines.join('\n');
}
