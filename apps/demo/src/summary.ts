import type { ErrorKind } from '@resilient/core';
import type { AlertsPlugin } from './alerts';
import type { DrivenSignup } from './drive-signups';
import { conditionsOf, countDuplicates, deliveredRecipients, injectedFaults } from './fake-records';
import type { HealthReport } from './health';
import type { DemoProviders, ProviderMode } from './providers';
import { PROVIDERS, type ProviderName, type Scenario } from './scenarios';
import type { StatsPlugin } from './stats-plugin';

export interface ProviderSummary {
  readonly provider: ProviderName;
  readonly mode: ProviderMode;
  readonly attempts: number;
  readonly retries: number;
  /** Retries that waited out a 429. */
  readonly rateLimitWaits: number;
  /** Sends that moved on from this provider to the next (email providers; 0 for Stripe). */
  readonly failovers: number;
  /** Calls its open breaker refused at once. */
  readonly fastFails: number;
  readonly transitions: readonly string[];
  /** The breaker's state at the end, from `GET /health`. */
  readonly breaker: string;
  readonly attemptErrors: Partial<Record<ErrorKind, number>>;
  /** The faults its fake injected, by fault (`503`, `applied-response-lost`); `undefined` when real. */
  readonly injected: Readonly<Record<string, number>> | undefined;
  /** Standing conditions of the scenario: `rate limit 4 per 1000 ms`, `key revoked`. */
  readonly conditions: readonly string[];
}

export interface DemoSummary {
  readonly scenario: string;
  readonly title: string;
  readonly signups: {
    readonly total: number;
    readonly created: number;
    /** Final answers by HTTP status. */
    readonly statuses: Record<string, number>;
    /** Signups the driver sent twice (the first got a 503) that were then created. */
    readonly createdOnSecondTry: number;
  };
  /** At the fake Stripe (`undefined` with a real key: nobody can count them here). */
  readonly customers: { readonly atProvider: number | undefined; readonly duplicates: number | undefined };
  readonly emails: {
    readonly sent: number;
    readonly held: number;
    readonly byProvider: Readonly<Record<string, number>>;
    /** At the fakes, both providers together (`undefined` when a real provider sent some). */
    readonly delivered: number | undefined;
    readonly duplicates: number | undefined;
  };
  readonly providers: readonly ProviderSummary[];
  readonly alerts: {
    readonly sent: number;
    readonly suppressed: number;
    readonly messages: readonly string[];
  };
  /** Traces worth opening: what happened in them → trace id. */
  readonly traces: readonly { readonly label: string; readonly traceId: string }[];
  readonly health: HealthReport;
  /** Invariants that failed: duplicates, requests without an answer. Empty when all is well. */
  readonly problems: readonly string[];
}

export interface SummaryInput {
  readonly scenario: Scenario;
  readonly signups: readonly DrivenSignup[];
  readonly providers: DemoProviders;
  readonly stats: StatsPlugin;
  readonly alerts: AlertsPlugin;
  readonly notes: ReadonlyMap<string, string>;
  readonly health: HealthReport;
}

/** Which traces to show first: the ones that tell the most. */
const WORTH_A_LOOK = [
  'failed over',
  'breaker opened',
  'key refused',
  'held back',
  'signup failed',
  '429',
  'retried',
];

function rank(label: string): number {
  const index = WORTH_A_LOOK.findIndex((words) => label.includes(words));
  return index < 0 ? WORTH_A_LOOK.length : index;
}

/** Labels that point at the same trace, joined: `failed over; key refused`. */
function mergeByTrace(notes: ReadonlyMap<string, string>): { label: string; traceId: string }[] {
  const labels = new Map<string, string[]>();
  const sorted = [...notes].sort(([a], [b]) => rank(a) - rank(b));
  for (const [label, traceId] of sorted) labels.set(traceId, [...(labels.get(traceId) ?? []), label]);
  return [...labels].map(([traceId, all]) => ({ label: all.join('; '), traceId }));
}

/** The run's numbers, from the plugins, the answers and what the fakes received. */
export function buildSummary(input: SummaryInput): DemoSummary {
  const { signups, providers, stats, health } = input;
  const { fakes, modes } = providers;
  const statuses: Record<string, number> = {};
  const byProvider: Record<string, number> = {};
  const failovers: Record<string, number> = {};
  let sent = 0;
  let held = 0;
  for (const signup of signups) {
    statuses[signup.status] = (statuses[signup.status] ?? 0) + 1;
    const welcome = signup.body?.welcome;
    if (welcome === undefined) continue;
    if (welcome.status === 'sent') {
      sent++;
      byProvider[welcome.provider] = (byProvider[welcome.provider] ?? 0) + 1;
    } else held++;
    const moved = welcome.status === 'sent' ? welcome.failures : welcome.failures.slice(0, -1);
    for (const provider of moved) failovers[provider] = (failovers[provider] ?? 0) + 1;
  }
  const customerEmails = fakes.stripe?.customers.map((customer) => String(customer.email).toLowerCase());
  const emailsAllFake = modes.resend === 'fake' && modes.sendgrid === 'fake';
  const recipients = emailsAllFake ? deliveredRecipients(fakes) : undefined;
  const customers = {
    atProvider: customerEmails?.length,
    duplicates: customerEmails === undefined ? undefined : countDuplicates(customerEmails),
  };
  const emails = {
    sent,
    held,
    byProvider,
    delivered: recipients?.length,
    duplicates: recipients === undefined ? undefined : countDuplicates(recipients),
  };

  const problems: string[] = [];
  if ((customers.duplicates ?? 0) > 0) problems.push(`${customers.duplicates} duplicate customers at Stripe`);
  if ((emails.duplicates ?? 0) > 0) problems.push(`${emails.duplicates} duplicate welcome emails`);
  const unanswered = signups.filter((signup) => signup.status === 0 || signup.status === 500).length;
  if (unanswered > 0) problems.push(`${unanswered} signups got no proper answer (status 0 or 500)`);

  return {
    scenario: input.scenario.name,
    title: input.scenario.title,
    signups: {
      total: signups.length,
      created: statuses['201'] ?? 0,
      statuses,
      createdOnSecondTry: signups.filter((signup) => signup.tries > 1 && signup.status === 201).length,
    },
    customers,
    emails,
    providers: PROVIDERS.map((provider): ProviderSummary => {
      const own = stats.statsOf(provider);
      return {
        provider,
        mode: modes[provider],
        attempts: own.attempts,
        retries: own.retries,
        rateLimitWaits: own.rateLimitWaits,
        failovers: failovers[provider] ?? 0,
        fastFails: own.rejected,
        transitions: own.transitions,
        breaker: health.providers.find((entry) => entry.provider === provider)?.breaker ?? own.breaker,
        attemptErrors: own.attemptErrors,
        injected: injectedFaults(fakes[provider]),
        conditions: conditionsOf(input.scenario, provider, fakes),
      };
    }),
    alerts: {
      sent: input.alerts.sent.length,
      suppressed: input.alerts.suppressed,
      messages: input.alerts.sent.map((alert) => alert.message),
    },
    traces: mergeByTrace(input.notes),
    health,
    problems,
  };
}
