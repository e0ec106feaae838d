import { classifyError, ResilientError, redactText } from '@resilient/core';
import type { EmailMessage, EmailProvider, SendContext, SendResult } from '@resilient/email';
import { type RotatingClient, rotatingClient, type SecretInput, toSecretSource } from '@resilient/secrets';
import type { Resend } from 'resend';
import { mapResendError, type ResendErrorLike } from './map-resend-error';
import { NetworkAwareResend } from './network-aware-resend';
import { toResendEmail } from './to-resend-email';

const SERVICE = 'resend';

/** The parts of a Resend client the provider uses. A `Resend` instance has them. */
export type ResendClient = Pick<Resend, 'emails' | 'batch'>;

/** Options of {@link createResendProvider}: a client, or the settings to build one. */
export interface ResendProviderOptions {
  /**
   * A Resend client to send through. Give this, or `apiKey`. A plain `Resend` reports every failed
   * connection as possibly sent; a `NetworkAwareResend` says when a send never left.
   */
  readonly client?: ResendClient;
  /**
   * The API key (`re_...`) to build a client with (a `NetworkAwareResend`): a string, a `Secret`, or a
   * `SecretSource` from `@resilient/secrets` (`envSecret('RESEND_API_KEY')`, `fileSecret(...)`, a secret
   * manager). With a source, a send refused for the key (`auth`) reads the key again and, when it was
   * rotated, is sent once more with the new key; a key refused again ends the send with that `AuthError`.
   */
  readonly apiKey?: SecretInput;
  /** The API's base URL for a built client. Default: the SDK's (`RESEND_BASE_URL`, else `https://api.resend.com`). */
  readonly baseUrl?: string;
}

/**
 * An `EmailProvider` for Resend, over the `resend` SDK. Every attempt sends the context's
 * idempotency key (Resend keeps it 24 hours, so a retry after a lost response is not sent twice) and
 * its abort signal. Resend's `{ data, error }` answers become results or `ResilientError`s (see
 * `mapResendError`); no error keeps the client, which holds the API key. With an `apiKey` source, a
 * refused key is read again once (see {@link ResendProviderOptions.apiKey}): the one case where `send`
 * makes a second request, safe because the refused one was not applied.
 */
export function createResendProvider(options: ResendProviderOptions): EmailProvider {
  const clients = resolveClients(options);
  return {
    name: SERVICE,
    capabilities: { idempotencyKeys: true, batch: true },

    async send(message: EmailMessage, context: SendContext): Promise<SendResult> {
      failIfAborted(context.signal);
      const email = build(() => toResendEmail(message));
      const result = await clients.run(async (client) => {
        failIfAborted(context.signal);
        const answer = await call(context.signal, () => client.emails.send(email, requestOptions(context)));
        if (answer.error) throw failure(answer.error, answer.headers, context.signal);
        return answer;
      });
      return { provider: SERVICE, messageId: emailId(result.data) };
    },

    async sendBatch(messages: readonly EmailMessage[], context: SendContext): Promise<SendResult[]> {
      const withAttachments = messages.findIndex((message) => (message.attachments?.length ?? 0) > 0);
      if (withAttachments >= 0) {
        throw new ResilientError({
          kind: 'invalid-request',
          outcome: 'not-sent',
          service: SERVICE,
          message: `${SERVICE}: batch sending does not support attachments (messages[${withAttachments}] has some); send it on its own`,
        });
      }
      failIfAborted(context.signal);
      const payload = build(() => messages.map((message) => toResendEmail(message)));
      const result = await clients.run(async (client) => {
        failIfAborted(context.signal);
        const answer = await call(context.signal, () => client.batch.send(payload, requestOptions(context)));
        if (answer.error) throw failure(answer.error, answer.headers, context.signal);
        return answer;
      });
      const ids = Array.isArray(result.data?.data) ? result.data.data : [];
      if (ids.length !== messages.length) {
        throw unreadable(`the batch answer listed ${ids.length} ids for ${messages.length} messages`);
      }
      return ids.map((entry) => ({ provider: SERVICE, messageId: emailId(entry) }));
    },
  };
}

function resolveClients(options: ResendProviderOptions): RotatingClient<ResendClient> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('createResendProvider: pass { client } or { apiKey, baseUrl? }');
  }
  if (options.client !== undefined) {
    if (options.apiKey !== undefined || options.baseUrl !== undefined) {
      throw new TypeError('createResendProvider: pass either client, or apiKey and baseUrl, not both');
    }
    const client = options.client;
    return { run: (send) => send(client) };
  }
  if (options.apiKey === undefined) throw new TypeError('createResendProvider: pass client, or apiKey');
  const source = toSecretSource(options.apiKey, 'RESEND_API_KEY', 'createResendProvider: apiKey');
  const settings = options.baseUrl === undefined ? undefined : { baseUrl: options.baseUrl };
  return rotatingClient(source, {
    service: SERVICE,
    build: (key) => new NetworkAwareResend(key.reveal(), settings),
  });
}

/** The SDK's request options for one attempt: the same key on every attempt, and the attempt's signal. */
function requestOptions(context: SendContext): { idempotencyKey: string; signal: AbortSignal } {
  return { idempotencyKey: context.idempotencyKey, signal: context.signal };
}

/** Runs an SDK call; the SDK returns its errors, so a throw is unexpected and classified as it comes. */
async function call<T>(signal: AbortSignal, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (signal.aborted) throw classifyError(signal.reason, { service: SERVICE });
    throw classifyError(error, { service: SERVICE });
  }
}

/** An aborted attempt is the abort's error (the timeout or the caller's cancellation), not Resend's. */
function failure(
  error: ResendErrorLike,
  headers: Readonly<Record<string, string>> | null,
  signal: AbortSignal,
): ResilientError {
  if (signal.aborted) return classifyError(signal.reason, { service: SERVICE });
  return mapResendError(error, headers, { service: SERVICE });
}

/** Maps a message to Resend's shape; a message that cannot be mapped is an invalid request, not sent. */
function build<T>(map: () => T): T {
  try {
    return map();
  } catch (error) {
    const reason = error instanceof Error ? redactText(error.message) : 'the message cannot be sent';
    throw new ResilientError({
      kind: 'invalid-request',
      outcome: 'not-sent',
      service: SERVICE,
      message: `${SERVICE}: ${reason}`,
    });
  }
}

function failIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw classifyError(signal.reason, { service: SERVICE });
}

function emailId(data: unknown): string {
  const id = typeof data === 'object' && data !== null ? (data as { id?: unknown }).id : undefined;
  if (typeof id !== 'string' || id === '') throw unreadable('the answer had no email id');
  return id;
}

/** Resend answered 2xx but not with what it documents: it was probably sent. */
function unreadable(detail: string): ResilientError {
  return new ResilientError({
    kind: 'unknown',
    outcome: 'unknown',
    service: SERVICE,
    message: `${SERVICE}: ${detail}`,
  });
}
