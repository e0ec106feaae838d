import { registerPlugin } from '@resilient/core';
import { seededRandom } from '@resilient/testing';
import { type AlertsPlugin, consoleAlertSink, createAlertsPlugin } from './alerts';
import { readHealth } from './health';
import { createNotableTracesPlugin, type NotableTracesPlugin } from './notable-traces';
import { type DemoProviders, setUpProviders } from './providers';
import type { Scenario } from './scenarios';
import { type SignupServer, startSignupServer } from './server';
import { createSignupFlow } from './signup-flow';
import { createStatsPlugin, type StatsPlugin } from './stats-plugin';
import { setUpTracing, type Tracing } from './tracing';

export interface DemoServiceOptions {
  readonly scenario: Scenario;
  /** Where real keys come from (`STRIPE_SECRET_KEY`, ...). */
  readonly env: NodeJS.ProcessEnv;
  /** The welcome email's sender. */
  readonly from: string;
  readonly serviceName: string;
  readonly tracesUrl: string;
  readonly tracesFile?: string | undefined;
  /** Seeds every jitter (the fakes' faults have their own seeds, in the scenario). */
  readonly seed: number;
  /** Default: 0, a free port. */
  readonly port?: number;
  readonly log: (line: string) => void;
}

/** The signup service, running, with everything that watches it. */
export interface DemoService {
  readonly server: SignupServer;
  readonly providers: DemoProviders;
  readonly tracing: Tracing;
  readonly stats: StatsPlugin;
  readonly alerts: AlertsPlugin;
  readonly notable: NotableTracesPlugin;
  /** Stops the server and the fakes, unregisters the plugins and flushes the spans. */
  stop(): Promise<void>;
}

/**
 * Starts the signup service against the providers (fakes with the scenario's chaos, or real ones),
 * with core plugins registered for the whole process: OpenTelemetry, the counters, the key alerts
 * (through `incidentGate`, to the console) and the notable traces.
 */
export async function startDemoService(options: DemoServiceOptions): Promise<DemoService> {
  const tracing = await setUpTracing({
    serviceName: options.serviceName,
    tracesUrl: options.tracesUrl,
    tracesFile: options.tracesFile,
    log: options.log,
  });
  const stats = createStatsPlugin();
  const alerts = createAlertsPlugin(consoleAlertSink(options.log));
  const notable = createNotableTracesPlugin();
  const unregister = [tracing.plugin, stats, alerts, notable].map((plugin) => registerPlugin(plugin));
  const unregisterAll = () => {
    for (const undo of unregister) undo();
  };
  let providers: DemoProviders;
  try {
    providers = await setUpProviders(options.scenario, options.env, seededRandom(options.seed));
  } catch (error) {
    unregisterAll();
    await tracing.shutdown();
    throw error;
  }
  const signup = createSignupFlow({
    customers: providers.customers,
    email: providers.email,
    from: options.from,
  });
  let server: SignupServer;
  try {
    server = await startSignupServer({
      signup,
      health: () => readHealth(providers.customers, providers.email),
      tracer: tracing.tracer,
      ...(options.port === undefined ? {} : { port: options.port }),
    });
  } catch (error) {
    await providers.close();
    unregisterAll();
    await tracing.shutdown();
    throw error;
  }
  return {
    server,
    providers,
    tracing,
    stats,
    alerts,
    notable,
    async stop() {
      await server.close();
      await providers.close();
      unregisterAll();
      await tracing.shutdown();
    },
  };
}
