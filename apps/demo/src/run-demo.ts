import { startDemoService } from './demo-service';
import { type DrivenSignup, driveSignups } from './drive-signups';
import type { HealthReport } from './health';
import type { NotableTracesPlugin } from './notable-traces';
import { scenarioNamed } from './scenarios';
import { buildSummary, type DemoSummary } from './summary';

export interface RunDemoOptions {
  readonly scenario: string;
  readonly signups: number;
  readonly concurrency: number;
  /** Signups arriving per second. */
  readonly ratePerSecond: number;
  readonly env: NodeJS.ProcessEnv;
  readonly from: string;
  /** The address of signup `n`. */
  readonly emailFor: (n: number) => string;
  readonly serviceName: string;
  readonly tracesUrl: string;
  readonly tracesFile?: string | undefined;
  readonly seed: number;
  readonly log: (line: string) => void;
}

export interface DemoRun {
  readonly summary: DemoSummary;
  /** Where the spans went, once flushed. */
  readonly tracing: string;
  /** Whether spans reached the OTLP endpoint (so the trace ids can be looked up there). */
  readonly exported: boolean;
  readonly durationMs: number;
  /** The service's address while it ran. */
  readonly url: string;
}

/**
 * The main job: starts the service with the scenario's chaos, drives a burst of signups through it
 * over HTTP, reads `GET /health`, stops everything (spans flushed) and returns the numbers.
 */
export async function runDemo(options: RunDemoOptions): Promise<DemoRun> {
  const scenario = scenarioNamed(options.scenario);
  const started = performance.now();
  const service = await startDemoService({
    scenario,
    env: options.env,
    from: options.from,
    serviceName: options.serviceName,
    tracesUrl: options.tracesUrl,
    tracesFile: options.tracesFile,
    seed: options.seed,
    log: options.log,
  });
  const { server, providers } = service;
  let summary: DemoSummary;
  try {
    const modes = Object.entries(providers.modes)
      .map(([provider, mode]) => `${provider} ${mode === 'fake' ? 'fake' : 'REAL'}`)
      .join(', ');
    options.log(`scenario ${scenario.name}: ${scenario.title}`);
    options.log(
      `${options.signups} signups, ${options.ratePerSecond} a second, at most ${options.concurrency} at a time → POST ${server.url}/signup (${modes})`,
    );
    const signups = await driveSignups({
      url: server.url,
      count: options.signups,
      concurrency: options.concurrency,
      ratePerSecond: options.ratePerSecond,
      emailFor: options.emailFor,
    });
    noteOutcomes(signups, service.notable);
    const health = (await (await fetch(`${server.url}/health`)).json()) as HealthReport;
    summary = buildSummary({
      scenario,
      signups,
      providers,
      stats: service.stats,
      alerts: service.alerts,
      notes: service.notable.notes,
      health,
    });
  } finally {
    await service.stop();
  }
  return {
    summary,
    tracing: service.tracing.describe(),
    exported: (service.tracing.otlp?.exported ?? 0) > 0,
    durationMs: performance.now() - started,
    url: server.url,
  };
}

/** Traces worth a look that only the answers tell: failovers, held emails, failed and repeated signups. */
function noteOutcomes(signups: readonly DrivenSignup[], notable: NotableTracesPlugin): void {
  for (const { body, firstAnswer, status } of signups) {
    const welcome = body?.welcome;
    if (welcome?.status === 'sent' && welcome.failures.length > 0)
      notable.note(
        `welcome email failed over: ${[...welcome.failures, welcome.provider].join(' → ')}`,
        body?.traceId,
      );
    if (welcome?.status === 'held')
      notable.note(`welcome email held back (${welcome.reason})`, body?.traceId);
    if (firstAnswer !== undefined) {
      notable.note(`signup failed with 503 (${firstAnswer.kind}), then sent again`, firstAnswer.traceId);
      if (status === 201) notable.note('the repeated signup: the same customer, replayed', body?.traceId);
    }
    if (status >= 500) notable.note(`signup failed (${body?.kind ?? status})`, body?.traceId);
  }
}
