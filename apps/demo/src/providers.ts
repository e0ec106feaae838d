import type { RandomSource } from '@resilient/core';
import { createEmailClient, type EmailClient } from '@resilient/email';
import { createResendProvider } from '@resilient/email-resend';
import { createSendGridProvider } from '@resilient/email-sendgrid';
import { startFakeResend, startFakeSendGrid, startFakeStripe } from '@resilient/testing';
import type { CustomerService } from './customers';
import { demoPipeline, SENDGRID_TIMEOUT_MS } from './pipelines';
import type { Fakes, ProviderName, Scenario } from './scenarios';
import { createStripeCustomers } from './stripe-customers';

/** The environment variable that makes each provider real. */
export const KEY_VARIABLES: Readonly<Record<ProviderName, string>> = {
  stripe: 'STRIPE_SECRET_KEY',
  resend: 'RESEND_API_KEY',
  sendgrid: 'SENDGRID_API_KEY',
};

/** The keys the fakes accept (and the clients send); a revoked key is any other. */
const FAKE_KEYS: Readonly<Record<ProviderName, string>> = {
  stripe: 'sk_test_demo_fake_4242424242',
  resend: 're_demo_fake_1234567890',
  sendgrid: 'SG.demo_fake.1234567890',
};
const REVOKED_KEYS: Readonly<Record<ProviderName, string>> = {
  stripe: 'sk_test_demo_revoked_0000000000',
  resend: 're_demo_revoked_0000000000',
  sendgrid: 'SG.demo_revoked.0000000000',
};

export type ProviderMode = 'fake' | 'real';

/** The providers a run signs users up with. */
export interface DemoProviders {
  readonly customers: CustomerService;
  readonly email: EmailClient;
  /** The fakes in use: one per provider without a real key. */
  readonly fakes: Fakes;
  readonly modes: Readonly<Record<ProviderName, ProviderMode>>;
  /** Stops the fakes (hung requests included). */
  close(): Promise<void>;
}

/** A provider's key from the environment; an empty value (a copied `.env.example`) counts as unset. */
function realKey(env: NodeJS.ProcessEnv, provider: ProviderName): string | undefined {
  const value = env[KEY_VARIABLES[provider]]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Starts a fake for every provider without a real key in `env`, with the scenario's rate limits and
 * revoked key, then scripts their faults, and builds the clients: Stripe customers, and an email
 * client that fails over from Resend to SendGrid. `random` seeds every jitter.
 */
export async function setUpProviders(
  scenario: Scenario,
  env: NodeJS.ProcessEnv,
  random: RandomSource,
): Promise<DemoProviders> {
  const keys = {
    stripe: realKey(env, 'stripe'),
    resend: realKey(env, 'resend'),
    sendgrid: realKey(env, 'sendgrid'),
  };
  const fakeOptions = (provider: ProviderName) => ({
    apiKey: FAKE_KEYS[provider],
    ...(scenario.rateLimits?.[provider] === undefined ? {} : { rateLimit: scenario.rateLimits[provider] }),
  });
  const clientKey = (provider: ProviderName): string =>
    keys[provider] ?? (scenario.revokedKey === provider ? REVOKED_KEYS[provider] : FAKE_KEYS[provider]);

  const fakes: Fakes = {};
  try {
    if (keys.stripe === undefined) fakes.stripe = await startFakeStripe(fakeOptions('stripe'));
    if (keys.resend === undefined) fakes.resend = await startFakeResend(fakeOptions('resend'));
    if (keys.sendgrid === undefined) fakes.sendgrid = await startFakeSendGrid(fakeOptions('sendgrid'));
  } catch (error) {
    await closeFakes(fakes);
    throw error;
  }
  scenario.chaos(fakes);

  const customers = createStripeCustomers(
    { apiKey: clientKey('stripe'), ...(fakes.stripe === undefined ? {} : { fakePort: fakes.stripe.port }) },
    random,
  );
  const email = createEmailClient({
    providers: [
      createResendProvider({
        apiKey: clientKey('resend'),
        ...(fakes.resend === undefined ? {} : { baseUrl: fakes.resend.url }),
      }),
      createSendGridProvider({
        apiKey: clientKey('sendgrid'),
        timeoutMs: SENDGRID_TIMEOUT_MS,
        ...(fakes.sendgrid === undefined ? {} : { baseUrl: fakes.sendgrid.url }),
      }),
    ],
    pipeline: demoPipeline(random),
  });
  const mode = (provider: ProviderName): ProviderMode => (keys[provider] === undefined ? 'fake' : 'real');
  return {
    customers,
    email,
    fakes,
    modes: { stripe: mode('stripe'), resend: mode('resend'), sendgrid: mode('sendgrid') },
    close: () => closeFakes(fakes),
  };
}

async function closeFakes(fakes: Fakes): Promise<void> {
  await Promise.all([fakes.stripe?.close(), fakes.resend?.close(), fakes.sendgrid?.close()]);
}
