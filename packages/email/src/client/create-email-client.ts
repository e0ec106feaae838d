import type { EmailMessage, SendResult } from '../email-provider';
import { EmailValidationError } from '../errors/email-validation-error';
import type { ProviderFailure } from '../errors/provider-failure';
import { validateEmailMessage } from '../message/validate-email-message';
import { checkBatchResult, checkSendResult } from './check-send-result';
import { deliverWithFailover } from './deliver-with-failover';
import { type EmailClientHealth, readHealth } from './email-client-health';
import { type EmailClientOptions, resolveEmailClientOptions } from './email-client-options';
import { checkSendOptions, type SendOptions } from './send-options';

/** What {@link EmailClient.send} resolves with. */
export interface EmailSendResult extends SendResult {
  /** The idempotency key of the send, generated or the caller's. */
  readonly idempotencyKey: string;
  /** The attempts made at the provider that delivered it. */
  readonly attempts: number;
  /** The providers that failed before it, in order: empty unless the client failed over. */
  readonly failures: readonly ProviderFailure[];
}

/** What {@link EmailClient.sendBatch} resolves with. */
export interface EmailBatchResult {
  /** The provider that accepted the batch. */
  readonly provider: string;
  /** One result per message, in the order of the messages. */
  readonly results: readonly SendResult[];
  /** The idempotency key of the batch. */
  readonly idempotencyKey: string;
  /** The attempts made at the provider that accepted it. */
  readonly attempts: number;
  /** The providers that failed before it, in order. */
  readonly failures: readonly ProviderFailure[];
}

/** A provider-neutral email client with failover. Built by {@link createEmailClient}. */
export interface EmailClient {
  /** The provider names, first preferred. */
  readonly providers: readonly string[];
  /** Whether some provider sends batches, so {@link EmailClient.sendBatch} can work. */
  readonly supportsBatch: boolean;
  /**
   * Sends one message: the first provider, retried within its pipeline, then the next ones as the
   * failover rules allow. Resolves with the result, or rejects with an `EmailValidationError` (the
   * message or options are wrong: nothing was sent) or an `EmailDeliveryError` (what each provider
   * did). Never resolves with `undefined`, never hangs.
   */
  send(message: EmailMessage, options?: SendOptions): Promise<EmailSendResult>;
  /**
   * Sends several messages in one request, with one idempotency key, through the providers that have a
   * batch endpoint (others are passed over). Rejects with an `EmailValidationError` when no provider
   * has one.
   */
  sendBatch(messages: readonly EmailMessage[], options?: SendOptions): Promise<EmailBatchResult>;
  /** Each provider's breaker state, for a health endpoint. Reads only. */
  health(): EmailClientHealth;
}

/**
 * Builds an email client over `providers`, first preferred. Each provider runs behind its own
 * `resilient({ service: provider.name })` pipeline, so each has its own breaker. One idempotency key per
 * logical send, the same on every attempt and every provider; core retries an `unknown` outcome only at
 * providers with `capabilities.idempotencyKeys`. The client fails over on provider failures and open
 * breakers (see {@link DEFAULT_FAILOVER_KINDS}), never after an `unknown` outcome unless
 * `allowDuplicateRisk` is on. Options are checked here: a wrong one throws a `TypeError` or
 * `RangeError` that names it.
 */
export function createEmailClient(options: EmailClientOptions): EmailClient {
  const { lanes, rules, generateIdempotencyKey } = resolveEmailClientOptions(options);
  const batchLanes = lanes.filter((lane) => lane.provider.capabilities.batch);

  const keyFor = (given: string | undefined): string => {
    if (given !== undefined) return given;
    const key = generateIdempotencyKey();
    if (typeof key !== 'string' || key === '' || key.length > 256)
      throw new EmailValidationError({
        field: 'generateIdempotencyKey()',
        problem: 'must return a string of 1 to 256 characters',
      });
    return key;
  };

  return Object.freeze({
    providers: Object.freeze(lanes.map((lane) => lane.provider.name)),
    supportsBatch: batchLanes.length > 0,

    async send(message: EmailMessage, sendOptions?: SendOptions): Promise<EmailSendResult> {
      validateEmailMessage(message);
      const { idempotencyKey, signal } = checkSendOptions(sendOptions);
      const key = keyFor(idempotencyKey);
      const delivered = await deliverWithFailover(lanes, rules, {
        idempotencyKey: key,
        signal,
        operation: 'email.send',
        call: (provider, context) => provider.send(message, context),
        check: checkSendResult,
      });
      return {
        ...delivered.value,
        idempotencyKey: key,
        attempts: delivered.attempts,
        failures: delivered.failures,
      };
    },

    async sendBatch(messages: readonly EmailMessage[], sendOptions?: SendOptions): Promise<EmailBatchResult> {
      if (batchLanes.length === 0)
        throw new EmailValidationError({
          field: 'sendBatch',
          problem: `needs a provider with a batch endpoint; none of ${lanes.map((lane) => lane.provider.name).join(', ')} has one, so send each message with send()`,
        });
      if (!Array.isArray(messages) || messages.length === 0)
        throw new EmailValidationError({
          field: 'messages',
          problem: 'must be a non-empty array of messages',
        });
      for (const [index, message] of messages.entries()) validateEmailMessage(message, `messages[${index}]`);
      const { idempotencyKey, signal } = checkSendOptions(sendOptions);
      const key = keyFor(idempotencyKey);
      const delivered = await deliverWithFailover(batchLanes, rules, {
        idempotencyKey: key,
        signal,
        operation: 'email.sendBatch',
        // Only lanes with `capabilities.batch` are here, and the options check made sure they have sendBatch.
        call: (provider, context) => provider.sendBatch!(messages, context),
        check: (value, provider) => checkBatchResult(value, provider, messages.length),
      });
      return {
        provider: delivered.provider,
        results: delivered.value,
        idempotencyKey: key,
        attempts: delivered.attempts,
        failures: delivered.failures,
      };
    },

    health: (): EmailClientHealth => readHealth(lanes),
  });
}
