// The demo's command line: `pnpm start` at the repository root runs the main job (a burst of signups
// against fakes under chaos, then a summary); `--serve` keeps the service up. See apps/demo/README.md.
import { parseCliOptions, recipientTemplate, USAGE } from './cli-options';
import { formatSummary } from './format-summary';
import { loadDemoEnv } from './load-env';
import { runDemo } from './run-demo';
import { serveDemo } from './serve-demo';

const log = (line: string): void => console.log(line);

async function main(): Promise<number> {
  const envFile = loadDemoEnv();
  let options: ReturnType<typeof parseCliOptions>;
  try {
    options = parseCliOptions(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    log(USAGE);
    return 0;
  }
  if (envFile !== undefined) log(`settings from ${envFile}`);
  if (options.serve) {
    await serveDemo(options, log);
    return 0;
  }
  // Where the trace links point when spans were exported: Jaeger's UI, unless JAEGER_UI_URL says otherwise.
  const jaegerUi = (process.env.JAEGER_UI_URL?.trim() || 'http://localhost:16686').replace(/\/+$/, '');
  const run = await runDemo({
    ...options,
    env: process.env,
    emailFor: recipientTemplate(options.to, Date.now().toString(36)),
    log,
  });
  log(
    formatSummary(run.summary, {
      burst: `${options.signups} signups (${options.ratePerSecond}/s, ≤${options.concurrency} in flight)`,
      tracing: run.tracing,
      durationMs: run.durationMs,
      traceUrl: run.exported ? (traceId) => `${jaegerUi}/trace/${traceId}` : undefined,
    }),
  );
  return run.summary.problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
