import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatSummary } from '../src/format-summary';
import type { RunDemoOptions } from '../src/run-demo';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver';
import { ancestry, providerOf as provider, runScenario } from './support';

let receiver: OtlpReceiver;
let lines: string[];

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());
beforeEach(() => {
  receiver.clear();
  lines = [];
});

const run = (scenario: string, overrides: Partial<RunDemoOptions> = {}) =>
  runScenario(receiver, lines, scenario, overrides);
const spansNamed = (name: string): ReceivedSpan[] => receiver.spans.filter((span) => span.name === name);

describe('the demo, end to end against the fakes, traced to a local OTLP receiver', () => {
  it('resend-down: every welcome email fails over to SendGrid, the breaker opens, nothing is duplicated', async () => {
    const result = await run('resend-down');
    const { summary } = result;

    expect(summary.problems).toEqual([]);
    expect(summary.signups).toMatchObject({ total: 12, created: 12 });
    expect(summary.customers).toEqual({ atProvider: 12, duplicates: 0 });
    expect(summary.emails).toMatchObject({
      sent: 12,
      held: 0,
      byProvider: { sendgrid: 12 },
      delivered: 12,
      duplicates: 0,
    });
    expect(provider(result, 'resend').failovers).toBe(12);
    expect(provider(result, 'resend').transitions[0]).toBe('closed→open');
    expect(provider(result, 'resend').fastFails).toBeGreaterThan(0);
    expect(provider(result, 'resend').injected).toMatchObject({ '503': provider(result, 'resend').attempts });
    expect(provider(result, 'sendgrid')).toMatchObject({ attempts: 12, retries: 0, failovers: 0 });
    expect(summary.alerts.sent).toBe(0);

    // The span tree: service name, the request span, operation spans, attempt spans under them.
    expect(receiver.contentTypes.every((type) => type.includes('application/json'))).toBe(true);
    expect(new Set(receiver.spans.map((span) => span.serviceName))).toEqual(new Set(['resilient-demo']));
    const requests = spansNamed('POST /signup');
    expect(requests).toHaveLength(12);
    expect(requests.every((span) => span.kind === 2 && span.parentSpanId === undefined)).toBe(true);
    expect(requests.every((span) => span.attributes['http.response.status_code'] === 201)).toBe(true);
    for (const attempt of spansNamed('resend email.send attempt')) {
      expect(ancestry(attempt, receiver.spans)).toEqual([
        'resend email.send attempt',
        'resend email.send',
        'POST /signup',
      ]);
      expect(attempt.attributes).toMatchObject({
        'error.type': 'unavailable',
        'resilient.error.status': 503,
      });
      expect(attempt.statusCode).toBe(2);
    }
    expect(spansNamed('resend email.send attempt').length).toBe(provider(result, 'resend').attempts);
    expect(spansNamed('sendgrid email.send attempt')).toHaveLength(12);
    expect(spansNamed('stripe customers.create')).toHaveLength(12);
    for (const span of spansNamed('sendgrid email.send')) {
      expect(ancestry(span, receiver.spans)).toEqual(['sendgrid email.send', 'POST /signup']);
      expect(span.statusCode).not.toBe(2);
    }

    // Breaker events: the operation that opened it, and the ones it refused.
    const events = receiver.spans.flatMap((span) => span.events.map((event) => ({ span, event })));
    const opened = events.filter(
      ({ event }) =>
        event.name === 'resilient.breaker.state_change' &&
        event.attributes['resilient.breaker.state'] === 'open',
    );
    expect(opened.length).toBeGreaterThanOrEqual(1);
    expect(opened[0]!.event.attributes).toMatchObject({
      'resilient.breaker.name': 'resend',
      'resilient.breaker.previous_state': 'closed',
    });
    expect(opened[0]!.span.name).toBe('resend email.send');
    const rejected = events.filter(({ event }) => event.name === 'resilient.rejected');
    expect(rejected).toHaveLength(provider(result, 'resend').fastFails);
    expect(rejected.every(({ span }) => span.attributes['error.type'] === 'circuit-open')).toBe(true);

    // The trace ids the summary points at are traces the collector received.
    const traceIds = new Set(receiver.spans.map((span) => span.traceId));
    expect(summary.traces.length).toBeGreaterThan(0);
    for (const { traceId } of summary.traces) expect(traceIds.has(traceId)).toBe(true);
    expect(result.tracing).toContain(`spans sent to ${receiver.url}/v1/traces`);
  });

  it('revoked-key: every send is refused at Resend and fails over, and the alert fires once', async () => {
    const result = await run('revoked-key');
    const { summary } = result;

    expect(summary.problems).toEqual([]);
    expect(summary.alerts).toMatchObject({ sent: 1, suppressed: 11 });
    expect(summary.alerts.messages[0]).toContain('resend refused our API key');
    expect(lines.filter((line) => line.includes('ALERT'))).toHaveLength(1);
    expect(provider(result, 'resend')).toMatchObject({
      attempts: 12,
      retries: 0,
      failovers: 12,
      attemptErrors: { auth: 12 },
    });
    // A refused key is the caller's problem, not the provider's: the breaker stays closed.
    expect(provider(result, 'resend').transitions).toEqual([]);
    expect(summary.emails).toMatchObject({ sent: 12, byProvider: { sendgrid: 12 }, duplicates: 0 });
    const refused = spansNamed('resend email.send attempt');
    expect(refused).toHaveLength(12);
    expect(refused.every((span) => span.attributes['error.type'] === 'auth')).toBe(true);
  });

  it('stripe-lost-response: responses are lost after the customer was created, yet one customer per signup', async () => {
    const result = await run('stripe-lost-response');
    const { summary } = result;
    const stripe = provider(result, 'stripe');

    expect(summary.problems).toEqual([]);
    expect(stripe.injected?.['applied-response-lost']).toBeGreaterThan(0);
    expect(stripe.retries).toBeGreaterThan(0);
    expect(summary.signups.created).toBe(12);
    expect(summary.customers).toEqual({ atProvider: 12, duplicates: 0 });
    const retried = spansNamed('stripe customers.create').filter((span) =>
      span.events.some((e) => e.name === 'resilient.retry'),
    );
    expect(retried.length).toBeGreaterThan(0);
    for (const span of retried) expect(span.attributes['resilient.attempt.count']).toBeGreaterThan(1);
  });

  it('rate-limit-storm: 429s are waited out, what Resend cannot take goes to SendGrid', async () => {
    const result = await run('rate-limit-storm', { signups: 16 });
    const { summary } = result;

    expect(summary.problems).toEqual([]);
    expect(provider(result, 'resend').rateLimitWaits).toBeGreaterThan(0);
    expect(provider(result, 'resend').attemptErrors['rate-limit']).toBeGreaterThan(0);
    expect(summary.emails.sent + summary.emails.held).toBe(summary.signups.created);
    expect(summary.emails.duplicates).toBe(0);
    expect(summary.customers.duplicates).toBe(0);
    const waited = spansNamed('resend email.send attempt').filter(
      (span) => span.attributes['error.type'] === 'rate-limit',
    );
    expect(waited.length).toBe(provider(result, 'resend').attemptErrors['rate-limit']);
  });

  it('mixed (the main job): the invariants hold and the summary reads at a glance', async () => {
    const result = await run('mixed', { signups: 40, concurrency: 8, ratePerSecond: 20 });
    const { summary } = result;

    expect(summary.problems).toEqual([]);
    expect(summary.customers.duplicates).toBe(0);
    expect(summary.emails.duplicates).toBe(0);
    expect(summary.emails.delivered).toBe(summary.emails.sent);
    // Which signup meets which fault depends on timing; the counts are the fakes' and the hooks' alike.
    expect(provider(result, 'resend').injected?.['503']).toBe(5);
    expect(spansNamed('POST /signup').length).toBeGreaterThanOrEqual(40);
    const text = formatSummary(summary, {
      burst: '40 signups',
      tracing: result.tracing,
      durationMs: result.durationMs,
    });
    for (const heading of [
      'attempts',
      'retries',
      '429s waited',
      'failovers',
      'breaker',
      'duplicates 0 ✓',
      'alerts',
    ])
      expect(text).toContain(heading);
    for (const { traceId } of summary.traces.slice(0, 5)) expect(text).toContain(traceId);
  });
});
