import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemoService } from '../src/demo-service';
import { scenarioNamed } from '../src/scenarios';
import { type OtlpReceiver, startOtlpReceiver } from './otlp-receiver';
import { runScenario } from './support';

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

describe('tracing without a collector', () => {
  it('says once that nothing listens for traces, still finishes, and writes the spans to a file', async () => {
    const closed = await startOtlpReceiver();
    await closed.close(); // a port nothing listens on now
    const folder = mkdtempSync(join(tmpdir(), 'resilient-demo-'));
    try {
      const tracesFile = join(folder, 'spans.jsonl');
      const result = await runScenario(receiver, lines, 'calm', {
        signups: 3,
        tracesUrl: `${closed.url}/v1/traces`,
        tracesFile,
      });

      expect(result.summary.problems).toEqual([]);
      expect(lines.filter((line) => line.startsWith('traces:'))).toHaveLength(1);
      expect(lines.find((line) => line.startsWith('traces:'))).toContain('nothing listens');
      expect(result.tracing).toContain('not exported');
      expect(receiver.spans).toEqual([]);
      // OTLP/JSON lines, as Jaeger's UI loads them: one export request per line.
      const requests = readFileSync(tracesFile, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      const spans = requests.flatMap((request) =>
        request.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans)),
      );
      expect(spans.map((span: any) => span.name)).toEqual(
        expect.arrayContaining(['POST /signup', 'stripe customers.create', 'resend email.send attempt']),
      );
      expect(spans.filter((span: any) => span.name === 'POST /signup')).toHaveLength(3);
      expect(spans.every((span: any) => /^[0-9a-f]{32}$/.test(span.traceId))).toBe(true);
      expect(requests[0].resourceSpans[0].resource.attributes).toContainEqual({
        key: 'service.name',
        value: { stringValue: 'resilient-demo' },
      });
      expect(result.tracing).toContain(`${spans.length} spans written to ${tracesFile}`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('the signup service', () => {
  it('answers the same signup sent three times with one customer and one email, even through SendGrid', async () => {
    const service = await startDemoService({
      scenario: scenarioNamed('resend-down'),
      env: {},
      from: 'Acme <hello@acme.example>',
      serviceName: 'resilient-demo',
      tracesUrl: `${receiver.url}/v1/traces`,
      seed: 42,
      log: (line) => lines.push(line),
    });
    try {
      const { url } = service.server;
      const post = (body: string) =>
        fetch(`${url}/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const signup = JSON.stringify({ email: 'Ada@Example.com', name: 'Ada' });
      const [first, second] = await Promise.all([post(signup), post(signup)]); // a double click
      const third = await post(JSON.stringify({ email: 'ada@example.com ', name: 'Ada' }));
      expect([first.status, second.status].sort()).toEqual([200, 201]);
      expect(third.status).toBe(200);
      const bodies = [await first.json(), await second.json(), await third.json()];
      expect(new Set(bodies.map((body) => body.customer.id)).size).toBe(1);
      expect(bodies.map((body) => body.welcome)).toEqual(
        Array(3).fill({ status: 'sent', provider: 'sendgrid', attempts: 1, failures: ['resend'] }),
      );
      expect(service.providers.fakes.stripe?.customers).toHaveLength(1);
      expect(service.providers.fakes.sendgrid?.deliveries).toHaveLength(1);

      expect((await post('not json')).status).toBe(400);
      expect((await post(JSON.stringify({ email: 'nobody', name: 'X' }))).status).toBe(400);
      expect((await fetch(`${url}/nowhere`)).status).toBe(404);
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        providers: [
          { provider: 'stripe', role: 'customers', breaker: 'closed' },
          { provider: 'resend', role: 'email' },
          { provider: 'sendgrid', role: 'email', breaker: 'closed' },
        ],
      });
    } finally {
      await service.stop();
    }
  });
});
