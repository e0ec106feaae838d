import { classifyError, readHeader } from '@resilient/core';
import type { EmailMessage, EmailProvider, SendContext, SendResult } from '@resilient/email';
import { MailService } from '@sendgrid/mail';
import { mapSendGridError } from './map-sendgrid-error';
import { toSendGridMail } from './to-sendgrid-mail';

const SERVICE = 'sendgrid';

/** The timeout a provider sets on its client unless told otherwise: 10 seconds. */
export const DEFAULT_SENDGRID_TIMEOUT_MS = 10_000;

/** The parts of a `MailService` the provider uses. A `MailService` (or the `@sendgrid/mail` default export) has them. */
export type SendGridClient = Pick<MailService, 'send' | 'setTimeout'>;

/** Options of {@link createSendGridProvider}: a client, or the settings to build one. */
export interface SendGridProviderOptions {
  /** A `MailService` to send through. Give this, or `apiKey`. Its timeout is set to `timeoutMs`. */
  readonly client?: SendGridClient;
  /** The API key (`SG....`) to build a dedicated `MailService` with. */
  readonly apiKey?: string;
  /** The API's base URL for a built client, such as `https://api.eu.sendgrid.com/`. Default: the SDK's. */
  readonly baseUrl?: string;
  /**
   * The HTTP timeout of each call in milliseconds, set on the client: SendGrid sets none, so a stalled
   * connection would otherwise wait forever. Default: 10,000.
   */
  readonly timeoutMs?: number;
}

/**
 * An `EmailProvider` for SendGrid, over `@sendgrid/mail`. SendGrid has no idempotency keys
 * (`capabilities.idempotencyKeys` is false), so a send whose outcome is unknown must not be retried
 * unless the caller accepts a possible duplicate. `mail.send` takes no per-call abort signal: an
 * attempt that times out in a `resilient()` pipeline is rejected at once by the pipeline, and the HTTP
 * call itself ends at `timeoutMs`. The message id is the `X-Message-Id` response header.
 */
export function createSendGridProvider(options: SendGridProviderOptions): EmailProvider {
  const client = resolveClient(options);
  return {
    name: SERVICE,
    capabilities: { idempotencyKeys: false, batch: false },

    async send(message: EmailMessage, context: SendContext): Promise<SendResult> {
      if (context.signal.aborted) throw classifyError(context.signal.reason, { service: SERVICE });
      let response: unknown;
      try {
        // Inside the try: a message the SDK (or the mapping) cannot build is an invalid-request, not sent.
        [response] = await client.send(toSendGridMail(message));
      } catch (error) {
        if (context.signal.aborted) throw classifyError(context.signal.reason, { service: SERVICE });
        throw mapSendGridError(error, { service: SERVICE });
      }
      const headers = (response as { headers?: unknown } | undefined)?.headers;
      // A 2xx without the header still means SendGrid accepted the message: report it sent, id unknown.
      const messageId = readHeader(headers as Parameters<typeof readHeader>[0], 'x-message-id') ?? '';
      return { provider: SERVICE, messageId };
    },
  };
}

function resolveClient(options: SendGridProviderOptions): SendGridClient {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('createSendGridProvider: pass { client } or { apiKey, baseUrl? }');
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_SENDGRID_TIMEOUT_MS;
  if (!(Number.isInteger(timeoutMs) && timeoutMs > 0 && timeoutMs <= 2_147_483_647)) {
    throw new RangeError(
      `createSendGridProvider: timeoutMs must be a whole number of milliseconds > 0, got ${String(timeoutMs)}`,
    );
  }
  if (options.client !== undefined) {
    if (options.apiKey !== undefined || options.baseUrl !== undefined) {
      throw new TypeError('createSendGridProvider: pass either client, or apiKey and baseUrl, not both');
    }
    options.client.setTimeout(timeoutMs);
    return options.client;
  }
  if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
    throw new TypeError('createSendGridProvider: pass client, or a non-empty apiKey');
  }
  // A dedicated service, not the shared default export: its key, base URL and timeout are its own.
  const service = new MailService();
  // The key first: setApiKey resets the base URL to the region's host.
  service.setApiKey(options.apiKey);
  if (options.baseUrl !== undefined) httpClientOf(service).setDefaultRequest('baseUrl', options.baseUrl);
  service.setTimeout(timeoutMs);
  return service;
}

/** The `@sendgrid/client` a `MailService` sends through (untyped in the SDK's declarations). */
function httpClientOf(service: MailService): { setDefaultRequest(key: string, value: unknown): unknown } {
  const client = (service as unknown as { client?: { setDefaultRequest?: unknown } }).client;
  if (typeof client?.setDefaultRequest !== 'function') {
    throw new TypeError(
      'createSendGridProvider: this @sendgrid/mail version has no client.setDefaultRequest',
    );
  }
  return client as { setDefaultRequest(key: string, value: unknown): unknown };
}
