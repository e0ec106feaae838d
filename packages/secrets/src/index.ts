// Secrets

// Alerting
export {
  type AlertOnAuthFailuresOptions,
  type AlertSinkErrorHandler,
  type AuthFailureAlerts,
  alertOnAuthFailures,
} from './alert-on-auth-failures';
export type { AlertSink, AuthAlert } from './alert-sink';
// Sources
export { type CachedSourceOptions, cachedSource, type SecretLoader } from './cached-source';
// Errors and the startup check
export { checkSecrets } from './check-secrets';
export { type ConsoleAlertSinkOptions, type ConsoleLike, consoleAlertSink } from './console-alert-sink';
export { type EnvSecretOptions, envSecret } from './env-secret';
export { type FileSecretOptions, fileSecret } from './file-secret';
export { type MissingSecret, MissingSecretError } from './missing-secret-error';
export { type RefreshingSourceOptions, refreshingSource } from './refreshing-source';
// Rotation, for adapters
export { type RotatingClient, type RotatingClientOptions, rotatingClient } from './rotating-client';
export { isSecret, Secret, type SecretOptions, secret } from './secret';
export { isSecretSource, type SecretInput, type SecretSource, toSecretSource } from './secret-source';
export { SecretUnavailableError } from './secret-unavailable-error';
export { type WebhookAlertSinkOptions, webhookAlertSink } from './webhook-alert-sink';
