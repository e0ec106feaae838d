import type { AlertSink } from './alert-sink';

/** Where {@link consoleAlertSink} writes: `console`, or anything with an `error` method. */
export interface ConsoleLike {
  error(...values: unknown[]): void;
}

/** Options of {@link consoleAlertSink}. */
export interface ConsoleAlertSinkOptions {
  /** Where to write. Default: the global `console`. */
  readonly console?: ConsoleLike;
}

/**
 * An {@link AlertSink} that writes each alert as one `console.error` line, `[resilient] ALERT ...`,
 * for log-based alerting (a log query that pages on `ALERT`).
 */
export function consoleAlertSink(options: ConsoleAlertSinkOptions = {}): AlertSink {
  const target = options.console ?? console;
  if (typeof target?.error !== 'function') {
    throw new TypeError('consoleAlertSink: console must have an error method');
  }
  return {
    name: 'console',
    send(alert) {
      target.error(`[resilient] ALERT ${alert.text}`);
    },
  };
}
