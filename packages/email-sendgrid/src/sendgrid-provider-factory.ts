import type { EmailProviderFactory } from '@resilient/email';
import { createSendGridProvider } from './create-sendgrid-provider';

/**
 * Builds the SendGrid provider from the environment for `EMAIL_PROVIDER=sendgrid`: the key from
 * `SENDGRID_API_KEY`, or the file `SENDGRID_API_KEY_FILE` names, given as a `SecretSource`, so a
 * key rotated there is picked up when SendGrid refuses the old one (one resend, see
 * `createEmailClientFromEnv`); and `SENDGRID_BASE_URL` when set (for the EU region,
 * `https://api.eu.sendgrid.com/`).
 */
export const sendgridProviderFactory: EmailProviderFactory = {
  name: 'sendgrid',
  apiKeyVariable: 'SENDGRID_API_KEY',
  create: ({ apiKey, env }) =>
    createSendGridProvider({ apiKey, baseUrl: env.SENDGRID_BASE_URL ? env.SENDGRID_BASE_URL : undefined }),
};
