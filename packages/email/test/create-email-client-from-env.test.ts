import {
  createEmailClientFromEnv,
  EmailConfigurationError,
  type EmailProviderFactory,
  type Environment,
  MissingApiKeyError,
  selectProvidersFromEnv,
} from '@resilient/email';
import { InMemoryEmailProvider } from '@resilient/email/testing';
import type { SecretSource } from '@resilient/secrets';
import { afterEach, describe, expect, it, vi } from 'vitest';

const RESEND_KEY = 're_live_0123456789abcdefghij';
const SENDGRID_KEY = 'SG.abcdefghijkl.mnopqrstuvwxyz0123';

/** Factories that build in-memory providers and remember the key source each was given. */
function factories() {
  const sources: Record<string, SecretSource> = {};
  const factory = (name: string, apiKeyVariable: string): EmailProviderFactory => ({
    name,
    apiKeyVariable,
    create: ({ apiKey }) => {
      if (typeof apiKey === 'string') throw new Error('expected a SecretSource from the environment');
      sources[name] = apiKey;
      return new InMemoryEmailProvider({ name });
    },
  });
  /** The keys the sources give now, by provider. */
  const keys = async (): Promise<Record<string, string>> => {
    const entries = Object.entries(sources).map(
      async ([name, source]) => [name, (await source.get()).reveal()] as const,
    );
    return Object.fromEntries(await Promise.all(entries));
  };
  return {
    sources,
    keys,
    list: [factory('resend', 'RESEND_API_KEY'), factory('sendgrid', 'SENDGRID_API_KEY')],
  };
}

const errorOf = (env: Environment): Error => {
  try {
    selectProvidersFromEnv({ factories: factories().list, env });
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected selectProvidersFromEnv to throw');
};

describe('selectProvidersFromEnv and createEmailClientFromEnv', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('builds the one provider EMAIL_PROVIDER names, with its key', async () => {
    const { keys, list } = factories();
    const providers = selectProvidersFromEnv({
      factories: list,
      env: { EMAIL_PROVIDER: 'sendgrid', SENDGRID_API_KEY: SENDGRID_KEY },
    });
    expect(providers.map((provider) => provider.name)).toEqual(['sendgrid']);
    expect(await keys()).toEqual({ sendgrid: SENDGRID_KEY });
  });

  it('builds the EMAIL_PROVIDERS list in order, ignoring case and spaces', async () => {
    const { keys, list } = factories();
    const client = createEmailClientFromEnv({
      factories: list,
      env: {
        EMAIL_PROVIDERS: ' SendGrid , resend ',
        RESEND_API_KEY: RESEND_KEY,
        SENDGRID_API_KEY: `${SENDGRID_KEY}\n`,
      },
    });
    expect(client.providers).toEqual(['sendgrid', 'resend']);
    expect(await keys()).toEqual({ resend: RESEND_KEY, sendgrid: SENDGRID_KEY });
  });

  it('reads globalThis.process.env when no env is given', () => {
    vi.stubEnv('EMAIL_PROVIDER', 'resend');
    vi.stubEnv('RESEND_API_KEY', RESEND_KEY);
    vi.stubEnv('EMAIL_PROVIDERS', '');
    expect(createEmailClientFromEnv({ factories: factories().list }).providers).toEqual(['resend']);
  });

  it.each([
    ['unset', { EMAIL_PROVIDER: 'resend' }],
    ['empty', { EMAIL_PROVIDER: 'resend', RESEND_API_KEY: '' }],
    ['blank', { EMAIL_PROVIDER: 'resend', RESEND_API_KEY: '   ' }],
  ])('throws MissingApiKeyError naming the variable when the key is %s', (_case, env) => {
    const error = errorOf(env);
    expect(error).toBeInstanceOf(MissingApiKeyError);
    expect(error).toMatchObject({ variable: 'RESEND_API_KEY', provider: 'resend' });
    expect(error.message).toBe(
      "resend: set RESEND_API_KEY to the provider's API key, or RESEND_API_KEY_FILE to a file holding it (it is unset or empty)",
    );
  });

  it('checks every key before building any provider, and never shows a key', () => {
    const { sources, list } = factories();
    const env = { EMAIL_PROVIDERS: 'resend,sendgrid', RESEND_API_KEY: RESEND_KEY };
    const error = (() => {
      try {
        selectProvidersFromEnv({ factories: list, env });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error).toMatchObject({ name: 'MissingApiKeyError', variable: 'SENDGRID_API_KEY' });
    expect(sources).toEqual({});
    expect(`${String(error)} ${JSON.stringify(error)} ${error?.stack}`).not.toContain(RESEND_KEY);
  });

  it.each([
    [
      'neither variable is set',
      {},
      'EMAIL_PROVIDER',
      /Set EMAIL_PROVIDER to one of resend, sendgrid, or EMAIL_PROVIDERS to a comma-separated list in order of preference, such as resend,sendgrid/,
    ],
    [
      'both variables are set',
      { EMAIL_PROVIDER: 'resend', EMAIL_PROVIDERS: 'resend,sendgrid' },
      'EMAIL_PROVIDERS',
      /not both/,
    ],
    [
      'a provider is unknown',
      { EMAIL_PROVIDERS: 'resend,postmark', RESEND_API_KEY: RESEND_KEY },
      'EMAIL_PROVIDERS',
      /names "postmark", which is not a known provider; known providers: resend, sendgrid/,
    ],
    [
      'EMAIL_PROVIDER holds a list',
      { EMAIL_PROVIDER: 'resend,sendgrid' },
      'EMAIL_PROVIDER',
      /set EMAIL_PROVIDERS instead/,
    ],
    [
      'the list has an empty entry',
      { EMAIL_PROVIDERS: 'resend,,sendgrid' },
      'EMAIL_PROVIDERS',
      /has an empty entry/,
    ],
    [
      'the list names a provider twice',
      { EMAIL_PROVIDERS: 'resend,RESEND' },
      'EMAIL_PROVIDERS',
      /names "resend" twice/,
    ],
  ])('throws EmailConfigurationError when %s', (_case, env, variable, message) => {
    const error = errorOf(env);
    expect(error).toBeInstanceOf(EmailConfigurationError);
    expect(error).toMatchObject({ variable });
    expect(error.message).toMatch(message);
  });

  it.each([
    ['no factories', { factories: [] }, /factories must be a non-empty array/],
    [
      'a factory without apiKeyVariable',
      { factories: [{ name: 'x', create: () => undefined }] },
      /factories\[0\]\.apiKeyVariable must name an environment variable/,
    ],
    [
      'two factories with one name',
      { factories: [factories().list[0], factories().list[0]] },
      /lists "resend" twice/,
    ],
  ])('refuses %s', (_case, options, message) => {
    expect(() =>
      selectProvidersFromEnv({ ...(options as object), env: { EMAIL_PROVIDER: 'resend' } } as never),
    ).toThrow(message);
  });

  it('refuses a factory that builds something that is not a provider', () => {
    const broken: EmailProviderFactory = {
      name: 'resend',
      apiKeyVariable: 'RESEND_API_KEY',
      create: () => ({}) as never,
    };
    expect(() =>
      selectProvidersFromEnv({
        factories: [broken],
        env: { EMAIL_PROVIDER: 'resend', RESEND_API_KEY: RESEND_KEY },
      }),
    ).toThrow(/the provider that factory "resend" created must be an email provider|created\.name must be/);
  });
});
