import type { AttemptContext } from '@resilient/core';
import type { SecretSource } from '@resilient/secrets';

/** An address: `"ada@example.com"`, `"Ada <ada@example.com>"`, or its parts. */
export type EmailAddress = string | { readonly email: string; readonly name?: string };

/** A file attached to a message. */
export interface EmailAttachment {
  /** The file name the recipient sees. */
  readonly filename: string;
  /** The content: bytes, or a base64 string. */
  readonly content: Uint8Array | string;
  /** The MIME type. Default: guessed by the provider from the file name. */
  readonly contentType?: string;
}

/** One email, in provider-neutral form. */
export interface EmailMessage {
  readonly from: EmailAddress;
  readonly to: EmailAddress | readonly EmailAddress[];
  readonly cc?: EmailAddress | readonly EmailAddress[];
  readonly bcc?: EmailAddress | readonly EmailAddress[];
  readonly replyTo?: EmailAddress | readonly EmailAddress[];
  readonly subject: string;
  /** The HTML body. At least one of `html` and `text` is required. */
  readonly html?: string;
  /** The plain-text body. */
  readonly text?: string;
  /** Extra email headers (not HTTP headers). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Provider tags or categories, for analytics. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly attachments?: readonly EmailAttachment[];
}

/** What a provider returns for one delivered message. */
export interface SendResult {
  /** The provider that accepted the message, such as `resend`. */
  readonly provider: string;
  /** The provider's id of the message. */
  readonly messageId: string;
}

/** What a provider can do. */
export interface EmailProviderCapabilities {
  /**
   * The provider deduplicates sends under an idempotency key, so a send whose outcome is `unknown`
   * (a timeout, a reset after the body was sent) can be retried without sending twice.
   */
  readonly idempotencyKeys: boolean;
  /** The provider has a batch endpoint: `sendBatch` is implemented. */
  readonly batch: boolean;
}

/** What a provider's `send` receives besides the message: the attempt's signal and idempotency key. */
export interface SendContext {
  /** Aborts on a timeout or when the caller gives up: pass it to the SDK or `fetch` where they take one. */
  readonly signal: AbortSignal;
  /**
   * The idempotency key of this logical send, the same on every attempt. A provider with
   * `capabilities.idempotencyKeys` must send it; others ignore it.
   */
  readonly idempotencyKey: string;
  /** The attempt number, from 1. */
  readonly attempt: number;
}

/**
 * The contract every email provider implements. A provider makes exactly one attempt per call: it
 * never retries and never sleeps (the client owns resilience). The one exception: a provider whose key
 * comes from a `SecretSource` may, when the provider refuses the key (`auth`), read the key again and,
 * if it was rotated, resend that request once with the new key (the refused request was not applied,
 * so nothing goes out twice); a fresh key refused too ends the call with that `AuthError`. It resolves with the result, or rejects
 * with a `ResilientError` from `@resilient/core` whose `kind`, `outcome`, `retryable` and
 * `retryAfterMs` say what happened, with no secret in its message, cause, or anything it keeps.
 */
export interface EmailProvider {
  /** A short, stable name: `resend`, `sendgrid`, `postmark`. Names the breaker and errors. */
  readonly name: string;
  readonly capabilities: EmailProviderCapabilities;
  /** Sends one message: one HTTP request. */
  send(message: EmailMessage, context: SendContext): Promise<SendResult>;
  /** Sends several messages in one request, when `capabilities.batch` is true. */
  sendBatch?(messages: readonly EmailMessage[], context: SendContext): Promise<SendResult[]>;
}

/** @internal Bridges core's attempt context to a provider's send context. */
export function toSendContext(context: AttemptContext, idempotencyKey: string): SendContext {
  return { signal: context.signal, idempotencyKey, attempt: context.attempt };
}

/** The environment, as `process.env` has it. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * How a provider is built from the environment, for `EMAIL_PROVIDER` / `EMAIL_PROVIDERS` selection.
 * Each adapter package exports one (`resendProviderFactory`, `sendgridProviderFactory`).
 */
export interface EmailProviderFactory {
  /** The name used in `EMAIL_PROVIDER(S)`, such as `resend`. */
  readonly name: string;
  /**
   * The variable that holds its API key, such as `RESEND_API_KEY`; `RESEND_API_KEY_FILE` may name a file
   * holding it instead.
   */
  readonly apiKeyVariable: string;
  /**
   * Builds the provider from its API key and the rest of the environment. Selection from the
   * environment passes a `SecretSource` (checked once at startup, then read again by the provider: the
   * variable on every send, a file when the key is refused), so pass it on as the provider's `apiKey`
   * and a rotated key is picked up; a string is accepted too, for a factory called directly.
   */
  create(options: { readonly apiKey: string | SecretSource; readonly env: Environment }): EmailProvider;
}
