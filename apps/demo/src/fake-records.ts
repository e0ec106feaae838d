import type { Fakes, ProviderName, Scenario } from './scenarios';

// What the fakes recorded: the ground truth a run is checked against (duplicates, faults injected).

/** Counts surplus copies: 3 of one key and 1 of another are 2 duplicates. */
export function countDuplicates(keys: Iterable<string>): number {
  const seen = new Map<string, number>();
  let duplicates = 0;
  for (const key of keys) {
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    if (count > 1) duplicates++;
  }
  return duplicates;
}

/** `Ada 1 <ada@example.com>` or `ada@example.com` → `ada@example.com`. */
function address(value: unknown): string {
  const text = String(value);
  return (/<([^>]+)>/.exec(text)?.[1] ?? text).trim().toLowerCase();
}

/** Every recipient of every email the fakes delivered, one entry per delivery and recipient. */
export function deliveredRecipients(fakes: Fakes): string[] {
  const recipients: string[] = [];
  for (const delivery of fakes.resend?.deliveries ?? []) {
    const to = delivery.email.to;
    for (const one of Array.isArray(to) ? to : [to]) recipients.push(address(one));
  }
  for (const delivery of fakes.sendgrid?.deliveries ?? []) {
    const mail = delivery.mail as { personalizations?: { to?: { email: string }[] }[] };
    for (const personalization of mail.personalizations ?? [])
      for (const to of personalization.to ?? []) recipients.push(address(to.email));
  }
  return recipients;
}

/** The faults a fake applied, counted by status or type. */
export function injectedFaults(fake: Fakes[ProviderName]): Record<string, number> | undefined {
  if (fake === undefined) return undefined;
  const counts: Record<string, number> = {};
  for (const { fault } of fake.faults.applied) {
    const label = fault.type === 'status' ? String(fault.status ?? fault.code ?? 'status') : fault.type;
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}

export function conditionsOf(scenario: Scenario, provider: ProviderName, fakes: Fakes): string[] {
  if (fakes[provider] === undefined) return [];
  const conditions: string[] = [];
  const limit = scenario.rateLimits?.[provider];
  if (limit !== undefined) conditions.push(`rate limit ${limit.limit} per ${limit.windowMs ?? 1_000} ms`);
  if (scenario.revokedKey === provider) conditions.push('key revoked');
  return conditions;
}
