import { type IncidentGate, incidentGate, type ResiliencePlugin } from '@resilient/core';

/** One alert that reached a person. */
export interface Alert {
  readonly service: string;
  readonly kind: 'auth' | 'permission';
  readonly status: number | undefined;
  readonly message: string;
}

/** Where alerts go: a pager, a chat channel; in the demo, the console. */
export type AlertSink = (alert: Alert) => void;

/** The console sink: one line a person on call can act on. */
export function consoleAlertSink(write: (line: string) => void = console.log): AlertSink {
  return (alert) => write(`  🚨 ALERT ${alert.message}`);
}

/** A core plugin that pages once per incident when a provider refuses our key. */
export interface AlertsPlugin extends ResiliencePlugin {
  /** Alerts sent to the sink. */
  readonly sent: readonly Alert[];
  /** Key failures the incident gate kept quiet (repeats of an open incident). */
  readonly suppressed: number;
}

const VARIABLES: Readonly<Record<string, string>> = {
  stripe: 'STRIPE_SECRET_KEY',
  resend: 'RESEND_API_KEY',
  sendgrid: 'SENDGRID_API_KEY',
};

/**
 * Watches every operation's end: a refused key (`auth`, `permission`) opens an incident for that
 * service, and `incidentGate` lets only its first failure through to the sink; a success resolves it.
 * A revoked key fails every call, but a person is paged once.
 */
export function createAlertsPlugin(sink: AlertSink, gate: IncidentGate = incidentGate()): AlertsPlugin {
  const sent: Alert[] = [];
  let suppressed = 0;
  return {
    name: 'demo-key-alerts',
    sent,
    get suppressed() {
      return suppressed;
    },
    onOperationEnd: ({ operation, error }) => {
      const service = operation.service ?? 'unnamed';
      const key = `${service}:key`;
      if (error === undefined) {
        gate.resolve(key);
        return;
      }
      if (error.kind !== 'auth' && error.kind !== 'permission') return;
      if (!gate.shouldNotify(key)) {
        suppressed++;
        return;
      }
      const variable = VARIABLES[service] ?? 'its API key';
      const alert: Alert = {
        service,
        kind: error.kind,
        status: error.status,
        message: `${service} refused our API key (${error.kind}${error.status === undefined ? '' : `, HTTP ${error.status}`}): replace ${variable}. Further failures of this incident stay quiet.`,
      };
      sent.push(alert);
      sink(alert);
    },
  };
}
