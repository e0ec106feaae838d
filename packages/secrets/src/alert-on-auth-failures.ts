import {
  type Clock,
  incidentGate,
  type OperationEndEvent,
  type ResiliencePlugin,
  type ResilientError,
  redactText,
  systemClock,
} from '@resilient/core';
import type { AlertSink, AuthAlert } from './alert-sink';
import { checkKeys, checkOptions, optionalDuration } from './internal/validate';

/** Reports a sink that threw or rejected. */
export type AlertSinkErrorHandler = (error: unknown, sink: AlertSink) => void;

/** Options of {@link alertOnAuthFailures}. */
export interface AlertOnAuthFailuresOptions {
  /** Where alerts go; each gets every alert. */
  readonly sinks: readonly AlertSink[];
  /** How long repeats of one incident (a service and a kind) stay quiet, in ms. Default: 900,000 (15 minutes). */
  readonly windowMs?: number;
  /** The clock. Default: the system clock; `FakeClock` from `@resilient/core/testing` in tests. */
  readonly clock?: Clock;
  /** Told when a sink throws or rejects. Default: one `console.warn` naming the sink and the error's message. */
  readonly onSinkError?: AlertSinkErrorHandler;
}

/** The plugin {@link alertOnAuthFailures} returns. */
export interface AuthFailureAlerts extends ResiliencePlugin {
  /** Alerts for `error` as the plugin does for a failed operation; for errors seen outside a pipeline. */
  report(error: ResilientError, operation?: string): void;
  /** Resolves when every alert sent so far has been delivered or has failed (for tests and shutdown). */
  flush(): Promise<void>;
}

const AUTH_KINDS = new Set(['auth', 'permission']);

/**
 * A core `ResiliencePlugin` that alerts a person when a provider refuses the SDK's credentials:
 * once per service and kind (`resend` `auth`, `stripe` `permission`) within `windowMs`, however many
 * calls fail; a success for the service ends its incidents, so the next refusal alerts at once.
 * Sinks run in the background: a sink that throws or rejects is reported to `onSinkError`, and never
 * breaks or delays the call. Alerts carry the error's fields and redacted message, never the key.
 *
 * @example
 * const alerts = alertOnAuthFailures({ sinks: [consoleAlertSink(), webhookAlertSink({ url: slackUrl })] });
 * registerPlugin(alerts); // or: resilient({ service: 'resend', plugins: [alerts] })
 */
export function alertOnAuthFailures(options: AlertOnAuthFailuresOptions): AuthFailureAlerts {
  const where = 'alertOnAuthFailures';
  const record = checkOptions(where, options as AlertOnAuthFailuresOptions | undefined);
  checkKeys(where, record, ['sinks', 'windowMs', 'clock', 'onSinkError']);
  const sinks = checkSinks(record.sinks);
  const windowMs = optionalDuration(where, 'windowMs', record.windowMs, 900_000, { min: 1 });
  if (windowMs > 2_147_483_647) {
    throw new RangeError(`${where}: windowMs must be a whole number of milliseconds from 1 to 2147483647`);
  }
  const clock = record.clock ?? systemClock;
  const onSinkError = record.onSinkError ?? warnOnce();
  const gate = incidentGate({ cooldownMs: windowMs, clock });
  const pending = new Set<Promise<void>>();

  const deliver = (alert: AuthAlert): void => {
    for (const sink of sinks) {
      const delivery = Promise.resolve()
        .then(() => sink.send(alert))
        .catch((error: unknown) => reportSafely(onSinkError, error, sink))
        .finally(() => pending.delete(delivery));
      pending.add(delivery);
    }
  };

  const report = (error: ResilientError, operation = 'execute'): void => {
    if (!AUTH_KINDS.has(error.kind)) return;
    const service = error.service ?? 'unknown';
    if (!gate.shouldNotify(`${service}:${error.kind}`)) return;
    deliver(toAlert(error, service, operation, clock.now()));
  };

  return {
    name: 'auth-failure-alerts',
    onOperationEnd(event: OperationEndEvent) {
      const service = event.operation.service;
      if (event.error !== undefined) report(event.error, event.operation.operation);
      else if (event.outcome === 'success' && service !== undefined) {
        gate.resolve(`${service}:auth`);
        gate.resolve(`${service}:permission`);
      }
    },
    report,
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

function toAlert(error: ResilientError, service: string, operation: string, now: number): AuthAlert {
  const message = redactText(error.message);
  const what =
    error.kind === 'auth'
      ? 'refused the API key (invalid, expired or revoked): rotate it and update the secret'
      : 'refused the call for lack of permission: give the key the scope it needs';
  const details = [
    error.status === undefined ? undefined : `HTTP ${error.status}`,
    error.code,
    error.requestId,
  ]
    .filter((detail) => detail !== undefined)
    .join(', ');
  return Object.freeze({
    service,
    kind: error.kind as AuthAlert['kind'],
    operation,
    status: error.status,
    code: error.code,
    requestId: error.requestId,
    message,
    at: new Date(now).toISOString(),
    text: `${service} ${what} (${operation}${details ? `; ${details}` : ''})`,
  });
}

function checkSinks(sinks: unknown): readonly AlertSink[] {
  if (!Array.isArray(sinks) || sinks.length === 0) {
    throw new TypeError('alertOnAuthFailures: sinks must be a non-empty array of alert sinks');
  }
  sinks.forEach((sink: Partial<AlertSink> | null, index) => {
    if (typeof sink !== 'object' || sink === null || typeof sink.send !== 'function') {
      throw new TypeError(`alertOnAuthFailures: sinks[${index}] must have a send method`);
    }
  });
  return [...sinks] as AlertSink[];
}

function reportSafely(handler: AlertSinkErrorHandler, error: unknown, sink: AlertSink): void {
  try {
    handler(error, sink);
  } catch {
    // Reporting a failed alert must not fail either.
  }
}

/** The default report: one warning per sink, with the error's message redacted. */
function warnOnce(): AlertSinkErrorHandler {
  const warned = new WeakSet<AlertSink>();
  return (error, sink) => {
    if (warned.has(sink)) return;
    warned.add(sink);
    const reason = error instanceof Error ? redactText(error.message) : 'it failed';
    console.warn(`[resilient] alert sink "${sink.name}" failed (further failures are not shown): ${reason}`);
  };
}
