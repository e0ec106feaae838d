import { createEmailClient, type EmailClient } from '../client/create-email-client';
import type { EmailClientOptions } from '../client/email-client-options';
import { type SelectProvidersFromEnvOptions, selectProvidersFromEnv } from './select-providers-from-env';

/** Options of {@link createEmailClientFromEnv}: the client options but `providers`, and where to find them. */
export interface EmailClientFromEnvOptions
  extends Omit<EmailClientOptions, 'providers'>,
    SelectProvidersFromEnvOptions {}

/**
 * Builds an email client whose providers the environment selects: `EMAIL_PROVIDER=resend`, or
 * `EMAIL_PROVIDERS=resend,sendgrid` for failover, with each key from its factory's `apiKeyVariable`
 * (`RESEND_API_KEY`, `SENDGRID_API_KEY`) or a file named by `<apiKeyVariable>_FILE`, passed to the
 * factories as sources that are read again, so a rotated key is picked up. See {@link selectProvidersFromEnv} for the errors it throws at
 * startup, and {@link createEmailClient} for the other options.
 *
 * @example
 * const email = createEmailClientFromEnv({ factories: [resendProviderFactory, sendgridProviderFactory] });
 */
export function createEmailClientFromEnv(options: EmailClientFromEnvOptions): EmailClient {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('createEmailClientFromEnv: options must be an object with factories');
  const { factories, env, ...clientOptions } = options;
  return createEmailClient({ ...clientOptions, providers: selectProvidersFromEnv({ factories, env }) });
}
