/**
 * `@resilient/email`: a provider-neutral email client with failover, the provider contract, and
 * selection from the environment. Loads on Node.js 20+, Deno, Bun and edge runtimes (no `node:` import).
 */

export {
  createEmailClient,
  type EmailBatchResult,
  type EmailClient,
  type EmailSendResult,
} from './client/create-email-client';
export type { EmailClientHealth, ProviderHealth } from './client/email-client-health';
export {
  EMAIL_CIRCUIT_BREAKER_DEFAULTS,
  type EmailClientOptions,
  type EmailPipelineOptions,
} from './client/email-client-options';
export { DEFAULT_FAILOVER_KINDS } from './client/failover-rules';
export type { SendOptions } from './client/send-options';
export type {
  EmailAddress,
  EmailAttachment,
  EmailMessage,
  EmailProvider,
  EmailProviderCapabilities,
  EmailProviderFactory,
  Environment,
  SendContext,
  SendResult,
} from './email-provider';
export {
  createEmailClientFromEnv,
  type EmailClientFromEnvOptions,
} from './environment/create-email-client-from-env';
export {
  type SelectProvidersFromEnvOptions,
  selectProvidersFromEnv,
} from './environment/select-providers-from-env';
export { EmailConfigurationError } from './errors/email-configuration-error';
export {
  type DeliveryStopReason,
  EmailDeliveryError,
  type EmailDeliveryErrorOptions,
} from './errors/email-delivery-error';
export { EmailValidationError } from './errors/email-validation-error';
export type { ProviderFailure } from './errors/provider-failure';
export { validateEmailMessage } from './message/validate-email-message';
export { type MissingApiKey, MissingApiKeyError } from './missing-api-key-error';
