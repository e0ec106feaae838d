import type { AlertSink, AuthAlert } from './alert-sink';
import { checkKeys, checkOptions, optionalDuration } from './internal/validate';

/** Options of {@link webhookAlertSink}. */
export interface WebhookAlertSinkOptions {
  /**
   * The webhook URL (a Slack incoming webhook, or any endpoint taking JSON). It is itself a credential:
   * it is never printed, in errors or anywhere else.
   */
  readonly url: string | URL;
  /** The `fetch` to post with. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Extra request headers, such as an `authorization` for your own endpoint. */
  readonly headers?: Readonly<Record<string, string>>;
  /** How long one post may take, in ms. Default: 10,000. */
  readonly timeoutMs?: number;
}

/**
 * An {@link AlertSink} that POSTs each alert as JSON: Slack's `{ text }`, plus the alert's fields
 * (`service`, `kind`, `operation`, `status`, `code`, `requestId`, `message`, `at`) for other receivers.
 * An answer other than 2xx rejects with an error naming the status, never the URL.
 *
 * @example
 * const slack = webhookAlertSink({ url: process.env.SLACK_ALERT_WEBHOOK! });
 */
export function webhookAlertSink(options: WebhookAlertSinkOptions): AlertSink {
  const where = 'webhookAlertSink';
  const record = checkOptions(where, options as WebhookAlertSinkOptions | undefined);
  checkKeys(where, record, ['url', 'fetch', 'headers', 'timeoutMs']);
  const url = parseUrl(record.url);
  const post = record.fetch ?? globalThis.fetch;
  if (typeof post !== 'function') throw new TypeError(`${where}: fetch must be a function`);
  if (record.headers !== undefined && (typeof record.headers !== 'object' || record.headers === null)) {
    throw new TypeError(`${where}: headers must be an object of header names to values`);
  }
  const timeoutMs = optionalDuration(where, 'timeoutMs', record.timeoutMs, 10_000, { min: 1 });
  return {
    name: 'webhook',
    async send(alert) {
      const response = await post(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...record.headers },
        body: JSON.stringify(payload(alert)),
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Read the body so the connection is released; its content is not needed.
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new Error(`${where}: the webhook answered HTTP ${response.status}`);
    },
  };
}

/** The JSON posted: Slack reads `text`; other receivers can read the fields. */
function payload(alert: AuthAlert): Record<string, unknown> {
  return {
    text: alert.text,
    service: alert.service,
    kind: alert.kind,
    operation: alert.operation,
    status: alert.status ?? null,
    code: alert.code ?? null,
    requestId: alert.requestId ?? null,
    message: alert.message,
    at: alert.at,
  };
}

function parseUrl(value: unknown): URL {
  let url: URL | undefined;
  try {
    url = value instanceof URL ? value : typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    // The URL itself is not printed: a Slack webhook URL is a credential.
    throw new TypeError('webhookAlertSink: url must be an http: or https: URL');
  }
  return url;
}
