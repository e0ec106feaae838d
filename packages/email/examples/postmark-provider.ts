/**
 * A complete custom provider for `@resilient/email`: Postmark over `fetch`. It is the example of the
 * guide "Writing a custom provider" (docs/custom-provider.md) and passes the conformance suite
 * (test/postmark-provider.test.ts). Copy it, rename it, and change the request and the error table.
 */
import {
  AuthError,
  classifyError,
  type ErrorKind,
  kindFromStatus,
  outcomeFromStatus,
  RateLimitError,
  ResilientError,
  redactText,
  retryAfterFromHeaders,
} from '@resilient/core';
import type {
  EmailAddress,
  EmailMessage,
  EmailProvider,
  EmailProviderFactory,
  SendContext,
  SendResult,
} from '@resilient/email';
import { rotatingClient, type SecretInput, toSecretSource } from '@resilient/secrets';

/** Options of {@link createPostmarkProvider}. */
export interface PostmarkProviderOptions {
  /**
   * The server token, sent as `X-Postmark-Server-Token`: a string, a `Secret`, or a `SecretSource` from
   * `@resilient/secrets`, which is read again once when Postmark refuses the token (it may have been
   * rotated).
   */
  readonly serverToken: SecretInput;
  /** The API's base URL. Default: `https://api.postmarkapp.com`. */
  readonly baseUrl?: string;
  /** The message stream. Default: `outbound` (transactional). */
  readonly messageStream?: string;
  /** The `fetch` to use. Default: the global `fetch`. */
  readonly fetch?: typeof globalThis.fetch;
}

/**
 * Postmark's API error codes (the `ErrorCode` of a 422 body) that are not the caller's mistake. Every
 * other code (300 invalid request, 406 inactive recipient, 400/401 sender signature...) is one.
 * https://postmarkapp.com/developer/api/overview#error-codes
 */
const ERROR_CODE_KINDS: Readonly<Record<number, ErrorKind>> = {
  10: 'auth', // bad or missing API token
  100: 'unavailable', // maintenance
  405: 'quota-exceeded', // not allowed to send: the account ran out of credits
  412: 'permission', // account pending: may only send to its own domain
  413: 'permission', // account may not send
  429: 'rate-limit',
};

/**
 * Builds a Postmark provider. One `send` is one `POST /email`: no retry, no sleep (the client owns
 * resilience). Postmark has no idempotency keys, so the client never retries an unknown outcome here
 * and never fails over after one unless the caller allows the duplicate risk.
 */
export function createPostmarkProvider(options: PostmarkProviderOptions): EmailProvider {
  const service = 'postmark';
  const tokens = rotatingClient(
    toSecretSource(options?.serverToken, 'POSTMARK_SERVER_TOKEN', 'createPostmarkProvider: serverToken'),
    { service, build: (secret) => secret.reveal() },
  );
  const baseUrl = (options.baseUrl ?? 'https://api.postmarkapp.com').replace(/\/+$/, '');
  const messageStream = options.messageStream ?? 'outbound';
  const fetchFunction = options.fetch ?? globalThis.fetch;

  return {
    name: service,
    capabilities: { idempotencyKeys: false, batch: false },
    // One request; with a token source, a refused token is read again and, if rotated, sent once more.
    send: (message: EmailMessage, context: SendContext): Promise<SendResult> =>
      tokens.run((token) => sendOnce(token, message, context)),
  };

  async function sendOnce(token: string, message: EmailMessage, context: SendContext): Promise<SendResult> {
    let response: Response;
    let body: unknown;
    try {
      response = await fetchFunction(`${baseUrl}/email`, {
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          'x-postmark-server-token': token,
        },
        body: JSON.stringify(toPostmarkEmail(message, messageStream)),
        signal: context.signal, // aborts on core's timeouts and on the caller's signal
      });
      body = await response.json().catch(() => undefined);
    } catch (error) {
      // Refused: not-sent; reset or closed once the body went out: unknown; an abort: core's own error.
      throw classifyError(error, { service });
    }
    const reply = (body ?? {}) as { MessageID?: unknown; ErrorCode?: unknown; Message?: unknown };
    if (response.ok && reply.ErrorCode === 0 && typeof reply.MessageID === 'string') {
      return { provider: service, messageId: reply.MessageID };
    }
    throw postmarkError(response, reply);
  }
}

/** Turns a Postmark error answer into a `ResilientError` with the right kind, outcome and delay. */
function postmarkError(
  response: Response,
  reply: { ErrorCode?: unknown; Message?: unknown },
): ResilientError {
  const service = 'postmark';
  const status = response.status;
  if (response.ok) {
    // A 200 whose body we could not read: Postmark accepted it, most likely. Never retry or fail over.
    return new ResilientError({
      kind: 'unknown',
      outcome: 'unknown',
      service,
      status,
      message: 'postmark: unreadable reply',
    });
  }
  const errorCode = typeof reply.ErrorCode === 'number' ? reply.ErrorCode : undefined;
  const byCode = errorCode === undefined ? undefined : ERROR_CODE_KINDS[errorCode];
  // 401 is always the token; otherwise the error code says more than the status (a 422 is the default).
  const kind = status === 401 ? 'auth' : (byCode ?? kindFromStatus(status));
  const common = {
    service,
    status,
    code: errorCode === undefined ? undefined : String(errorCode),
    // Postmark's own text may name recipients, never the token; redact anyway, as any log line should.
    message: `postmark: ${typeof reply.Message === 'string' ? redactText(reply.Message) : `HTTP ${status}`}`,
    retryAfterMs: retryAfterFromHeaders(response.headers, Date.now()),
    outcome: outcomeFromStatus(status),
  };
  if (kind === 'rate-limit' || kind === 'quota-exceeded') return new RateLimitError({ ...common, kind });
  if (kind === 'auth' || kind === 'permission') return new AuthError({ ...common, kind });
  return new ResilientError({ ...common, kind });
}

/** The body of `POST /email`. https://postmarkapp.com/developer/api/email-api */
function toPostmarkEmail(message: EmailMessage, messageStream: string): Record<string, unknown> {
  return {
    From: formatAddress(message.from),
    To: formatList(message.to),
    Cc: message.cc === undefined ? undefined : formatList(message.cc),
    Bcc: message.bcc === undefined ? undefined : formatList(message.bcc),
    ReplyTo: message.replyTo === undefined ? undefined : formatList(message.replyTo),
    Subject: message.subject,
    HtmlBody: message.html,
    TextBody: message.text,
    Headers: Object.entries(message.headers ?? {}).map(([Name, Value]) => ({ Name, Value })),
    // Postmark keeps one `Tag`; the neutral tags become its metadata.
    Metadata: message.tags,
    Attachments: (message.attachments ?? []).map((attachment) => ({
      Name: attachment.filename,
      Content: typeof attachment.content === 'string' ? attachment.content : toBase64(attachment.content),
      ContentType: attachment.contentType ?? 'application/octet-stream',
    })),
    MessageStream: messageStream,
  };
}

function formatList(addresses: EmailAddress | readonly EmailAddress[]): string {
  return (Array.isArray(addresses) ? addresses : [addresses]).map(formatAddress).join(', ');
}

function formatAddress(address: EmailAddress): string {
  if (typeof address === 'string') return address;
  if (address.name === undefined || address.name === '') return address.email;
  return `"${address.name.replace(/["\\]/g, '\\$&')}" <${address.email}>`;
}

/** Base64 without `Buffer`, so the provider also runs on edge runtimes. */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  }
  return btoa(binary);
}

/**
 * Selects Postmark with `EMAIL_PROVIDER=postmark` (or in `EMAIL_PROVIDERS`), keyed by
 * `POSTMARK_SERVER_TOKEN`; `POSTMARK_BASE_URL` overrides the API's address.
 */
export const postmarkProviderFactory: EmailProviderFactory = {
  name: 'postmark',
  apiKeyVariable: 'POSTMARK_SERVER_TOKEN',
  create: ({ apiKey, env }) =>
    createPostmarkProvider({ serverToken: apiKey, baseUrl: env.POSTMARK_BASE_URL }),
};
