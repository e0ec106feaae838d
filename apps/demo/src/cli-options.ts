import { DEFAULT_SCENARIO, SCENARIO_NAMES, scenarioNamed } from './scenarios';

/** Everything a run is told, from the command line first, then the environment. */
export interface CliOptions {
  readonly scenario: string;
  readonly signups: number;
  readonly concurrency: number;
  /** Signups arriving per second. */
  readonly ratePerSecond: number;
  /** Keep the service running (`--serve`) instead of driving a burst and exiting. */
  readonly serve: boolean;
  /** The port in `--serve` mode. */
  readonly port: number;
  readonly tracesUrl: string;
  readonly tracesFile: string | undefined;
  readonly serviceName: string;
  readonly from: string;
  /** The recipient address template: `{n}` is the signup number, `{run}` this run's tag. */
  readonly to: string;
  readonly seed: number;
  readonly help: boolean;
}

export const USAGE = `usage: pnpm start [--scenario=NAME] [--signups=N] [--concurrency=N] [--rate=N] [--traces-file=PATH] [--serve [--port=N]]

  --scenario      ${SCENARIO_NAMES.join(', ')} (default ${DEFAULT_SCENARIO}; or DEMO_SCENARIO)
  --signups       signups in the burst (default 40, 3 with a real provider; or DEMO_SIGNUPS)
  --concurrency   signups in flight at once (default 8; or DEMO_CONCURRENCY)
  --rate          signups arriving per second (default 20; or DEMO_RATE)
  --traces-file   also write the spans there as OTLP/JSON lines (Jaeger UI: Search → JSON File)
  --serve         keep the service running for curl on --port (default 3000; or PORT)
  --seed          seeds the retry and breaker jitter (default 42; or DEMO_SEED)

Providers are fakes on 127.0.0.1 unless STRIPE_SECRET_KEY, RESEND_API_KEY or SENDGRID_API_KEY is set
(in the environment or apps/demo/.env). Traces go to OTEL_EXPORTER_OTLP_ENDPOINT (default
http://localhost:4318) as OTEL_SERVICE_NAME (default resilient-demo).`;

function flag(argv: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  let found: string | undefined;
  for (const arg of argv) if (arg.startsWith(prefix)) found = arg.slice(prefix.length);
  return found;
}

function wholeNumber(
  name: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  return value;
}

/** The OTLP/HTTP traces URL, as the OpenTelemetry exporters read the environment. */
export function tracesUrlFrom(env: NodeJS.ProcessEnv): string {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || 'http://localhost:4318';
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}

/** Parses `argv` (without node and the script) and `env`; throws a `RangeError` that says what is wrong. */
export function parseCliOptions(argv: readonly string[], env: NodeJS.ProcessEnv): CliOptions {
  const known = [
    'scenario',
    'signups',
    'concurrency',
    'rate',
    'traces-file',
    'serve',
    'port',
    'seed',
    'help',
  ];
  for (const arg of argv) {
    const name = /^--([a-z-]+)/.exec(arg)?.[1];
    if (arg === '--' || arg === '-h') continue;
    if (name === undefined || !known.includes(name)) throw new RangeError(`unknown argument "${arg}"`);
  }
  const realEmail = Boolean(env.RESEND_API_KEY?.trim() || env.SENDGRID_API_KEY?.trim());
  const anyReal = realEmail || Boolean(env.STRIPE_SECRET_KEY?.trim());
  const scenario = flag(argv, 'scenario') ?? (env.DEMO_SCENARIO?.trim() || DEFAULT_SCENARIO);
  scenarioNamed(scenario);
  return {
    scenario,
    signups: wholeNumber('--signups', flag(argv, 'signups') ?? env.DEMO_SIGNUPS, anyReal ? 3 : 40, 1, 1_000),
    concurrency: wholeNumber('--concurrency', flag(argv, 'concurrency') ?? env.DEMO_CONCURRENCY, 8, 1, 100),
    ratePerSecond: wholeNumber('--rate', flag(argv, 'rate') ?? env.DEMO_RATE, 20, 1, 10_000),
    serve: argv.includes('--serve'),
    port: wholeNumber('--port', flag(argv, 'port') ?? env.PORT, 3_000, 0, 65_535),
    tracesUrl: tracesUrlFrom(env),
    tracesFile: flag(argv, 'traces-file') || undefined,
    serviceName: env.OTEL_SERVICE_NAME?.trim() || 'resilient-demo',
    from: env.DEMO_EMAIL_FROM?.trim() || 'Acme <onboarding@resend.dev>',
    to:
      env.DEMO_EMAIL_TO?.trim() ||
      (realEmail ? 'delivered+signup-{run}-{n}@resend.dev' : 'user-{n}@example.com'),
    seed: wholeNumber('--seed', flag(argv, 'seed') ?? env.DEMO_SEED, 42, 0, 2 ** 31 - 1),
    help: argv.includes('--help') || argv.includes('-h'),
  };
}

/** Signup `n`'s address from the template. */
export function recipientTemplate(template: string, run: string): (n: number) => string {
  return (n) => template.replaceAll('{n}', String(n)).replaceAll('{run}', run);
}
