import type { CliOptions } from './cli-options';
import { startDemoService } from './demo-service';
import { scenarioNamed } from './scenarios';

/** `--serve`: the service stays up for curl and a browser until Ctrl-C. */
export async function serveDemo(options: CliOptions, log: (line: string) => void): Promise<void> {
  const scenario = scenarioNamed(options.scenario);
  const service = await startDemoService({ ...options, scenario, env: process.env, port: options.port, log });
  const { url } = service.server;
  log(`signup service on ${url} · scenario ${scenario.name}: ${scenario.title}`);
  log(
    `  curl -s -X POST ${url}/signup -H 'content-type: application/json' -d '{"email":"ada@example.com","name":"Ada"}'`,
  );
  log(`  curl -s ${url}/health`);
  log('Ctrl-C stops it.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await service.stop();
  log(`stopped; traces: ${service.tracing.describe()}`);
}
