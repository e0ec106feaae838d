import type { EmailProviderFactory } from '@resilient/email';
import { createResendProvider } from './create-resend-provider';

/**
 * Builds the Resend provider from the environment for `EMAIL_PROVIDER=resend`: the key from
 * `RESEND_API_KEY`, or the file `RESEND_API_KEY_FILE` names, given as a `SecretSource`, so a key rotated there
 * is picked up when Resend refuses the old one (one resend, see `createEmailClientFromEnv`); and
 * `RESEND_BASE_URL` when set.
 */
export const resendProviderFactory: EmailProviderFactory = {
  name: 'resend',
  apiKeyVariable: 'RESEND_API_KEY',
  create: ({ apiKey, env }) =>
    createResendProvider({ apiKey, baseUrl: env.RESEND_BASE_URL ? env.RESEND_BASE_URL : undefined }),
};
