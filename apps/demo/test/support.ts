import type { DemoRun, RunDemoOptions } from '../src/run-demo';
import { runDemo } from '../src/run-demo';
import type { OtlpReceiver, ReceivedSpan } from './otlp-receiver';

/** A run in this process, against the fakes, exporting to `receiver`. No real key is read. */
export function runScenario(
  receiver: OtlpReceiver,
  lines: string[],
  scenario: string,
  overrides: Partial<RunDemoOptions> = {},
): Promise<DemoRun> {
  return runDemo({
    scenario,
    signups: 12,
    concurrency: 4,
    ratePerSecond: 50,
    env: {},
    from: 'Acme <hello@acme.example>',
    emailFor: (n) => `user-${n}@example.com`,
    serviceName: 'resilient-demo',
    tracesUrl: `${receiver.url}/v1/traces`,
    seed: 42,
    log: (line) => lines.push(line),
    ...overrides,
  });
}

/** One provider's row of the summary. */
export const providerOf = (result: DemoRun, name: string) =>
  result.summary.providers.find((provider) => provider.provider === name)!;

/** A span's chain of names up to its root: `resend email.send attempt`, `resend email.send`, `POST /signup`. */
export function ancestry(span: ReceivedSpan, spans: readonly ReceivedSpan[]): string[] {
  const byId = new Map(spans.map((each) => [each.spanId, each]));
  const names = [span.name];
  let parent = span.parentSpanId === undefined ? undefined : byId.get(span.parentSpanId);
  while (parent !== undefined) {
    names.push(parent.name);
    parent = parent.parentSpanId === undefined ? undefined : byId.get(parent.parentSpanId);
  }
  return names;
}
