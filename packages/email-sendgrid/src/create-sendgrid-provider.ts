import { classifyError, readHeader } from '@resilient/core';
import type { EmailMessage, EmailProvider, SendContext, SendResult } from '@resilient/email';
import { type RotatingClient, rotatingClient, type SecretInput, toSecretSource } from '@resilient/secrets';
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
  /**
   * The API key (`SG....`) to build a dedicated `MailService` with: a string, a `Secret`, or a
   * `SecretSource` from `@resilient/secrets` (`envSecret('SENDGRID_API_KEY')`, `fileSecret(...)`, a
   * secret manager). With a source, a send refused for the key (a 401, `auth`) reads the key again and,
   * when it was rotated, is sent once more with the new key; a key refused again ends the send with
   * that `AuthError`.
   */
  readonly apiKey?: SecretInput;
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
 * call itself ends at `timeoutMs`. The message id is the `X-Message-Id` response header. With an
 * `apiKey` source, a refused key is read again once (see {@link SendGridProviderOptions.apiKey}): the
 * one case where `send` makes a second request, safe because the refused one was not applied.
 */
export function createSendGridProvider(options: SendGridProviderOptions): EmailProvider {
  const clients = resolveClients(options);
  return {
    name: SERVICE,
    capabilities: { idempotencyKeys: false, batch: false },

    async send(message: EmailMessage, context: SendContext): Promise<SendResult> {
      if (context.signal.aborted) throw classifyError(context.signal.reason, { service: SERVICE });
      const response = await clients.run(async (client) => {
        if (context.signal.aborted) throw classifyError(context.signal.reason, { service: SERVICE });
        try {
          // Inside the try: a message the SDK (or the mapping) cannot build is an invalid-request, not sent.
          const [answer] = await client.send(toSendGridMail(message));
          return answer as unknown;
        } catch (error) {
          if (context.signal.aborted) throw classifyError(context.signal.reason, { service: SERVICE });
          throw mapSendGridError(error, { service: SERVICE });
        }
      });
      const headers = (response as { headers?: unknown } | undefined)?.headers;
      // A 2xx without the header still means SendGrid accepted the message: report it sent, id unknown.
      const messageId = readHeader(headers as Parameters<typeof readHeader>[0], 'x-message-id') ?? '';
      return { provider: SERVICE, messageId };
    },
  };
}

function resolveClients(options: SendGridProviderOptions): RotatingClient<SendGridClient> {
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
    const client = options.client;
    client.setTimeout(timeoutMs);
    return { run: (send) => send(client) };
  }
  if (options.apiKey === undefined) throw new TypeError('createSendGridProvider: pass client, or apiKey');
  const source = toSecretSource(options.apiKey, 'SENDGRID_API_KEY', 'createSendGridProvider: apiKey');
  const baseUrl = options.baseUrl;
  // Checked now, not at the first send: an SDK without the hook fails at construction.
  if (baseUrl !== undefined) httpClientOf(new MailService());
  return rotatingClient(source, {
    service: SERVICE,
    build: (key) => {
      // A dedicated service, not the shared default export: its key, base URL and timeout are its own.
      const service = new MailService();
      // The key first: setApiKey resets the base URL to the region's host.
      service.setApiKey(key.reveal());
      if (baseUrl !== undefined) httpClientOf(service).setDefaultRequest('baseUrl', baseUrl);
      service.setTimeout(timeoutMs);
      return service;
    },
  });
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
