import { checkEmailProvider } from '../client/check-email-provider';
import type { EmailProvider, EmailProviderFactory, Environment } from '../email-provider';
import { EmailConfigurationError } from '../errors/email-configuration-error';
import { MissingApiKeyError } from '../missing-api-key-error';

/** Options of {@link selectProvidersFromEnv}. */
export interface SelectProvidersFromEnvOptions {
  /** The providers that can be selected, such as `[resendProviderFactory, sendgridProviderFactory]`. */
  readonly factories: readonly EmailProviderFactory[];
  /** The environment. Default: `globalThis.process.env` where there is one (Node.js), else empty. */
  readonly env?: Environment;
}

/**
 * Builds the providers the environment selects: `EMAIL_PROVIDER=resend` for one, or
 * `EMAIL_PROVIDERS=resend,sendgrid` for an ordered list, first preferred (names are case-insensitive;
 * set one variable, not both). Each provider's API key is read from its factory's `apiKeyVariable`.
 *
 * Throws, at startup, an {@link EmailConfigurationError} when neither variable is set, both are, or a
 * name is unknown (listing the known ones), and a {@link MissingApiKeyError} naming the variable when a
 * selected provider's key is unset or empty. No message ever holds a key.
 */
export function selectProvidersFromEnv(options: SelectProvidersFromEnvOptions): EmailProvider[] {
  const factories = checkFactories(options?.factories);
  const env = options.env ?? processEnv();
  if (typeof env !== 'object' || env === null)
    throw new TypeError('selectProvidersFromEnv: env must be an object');
  const known = [...factories.keys()].join(', ');
  const single = nonEmpty(env.EMAIL_PROVIDER);
  const list = nonEmpty(env.EMAIL_PROVIDERS);
  if (single !== undefined && list !== undefined)
    throw new EmailConfigurationError({
      variable: 'EMAIL_PROVIDERS',
      message: 'Set EMAIL_PROVIDER (one provider) or EMAIL_PROVIDERS (a list, first preferred), not both',
    });
  if (single === undefined && list === undefined)
    throw new EmailConfigurationError({
      variable: 'EMAIL_PROVIDER',
      message: `Set EMAIL_PROVIDER to one of ${known}, or EMAIL_PROVIDERS to a comma-separated list in order of preference, such as ${[...factories.keys()].join(',')}`,
    });
  const variable = single === undefined ? 'EMAIL_PROVIDERS' : 'EMAIL_PROVIDER';
  if (single?.includes(','))
    throw new EmailConfigurationError({
      variable,
      message: 'EMAIL_PROVIDER names one provider; set EMAIL_PROVIDERS instead for a list with failover',
    });
  const names = (single ?? list)!.split(',').map((name) => name.trim().toLowerCase());
  const selected: EmailProviderFactory[] = [];
  for (const name of names) {
    if (name === '')
      throw new EmailConfigurationError({
        variable,
        message: `${variable} has an empty entry; known providers: ${known}`,
      });
    const factory = factories.get(name);
    if (factory === undefined)
      throw new EmailConfigurationError({
        variable,
        message: `${variable} names "${name}", which is not a known provider; known providers: ${known}`,
      });
    if (selected.includes(factory))
      throw new EmailConfigurationError({ variable, message: `${variable} names "${name}" twice` });
    selected.push(factory);
  }
  // Every key is checked before any provider is built, so a missing one fails fast and alone.
  const keys = selected.map((factory) => {
    const apiKey = nonEmpty(env[factory.apiKeyVariable]);
    if (apiKey === undefined)
      throw new MissingApiKeyError({ variable: factory.apiKeyVariable, provider: factory.name });
    return apiKey;
  });
  return selected.map((factory, index) => {
    const provider = factory.create({ apiKey: keys[index]!, env });
    checkEmailProvider(
      provider,
      `selectProvidersFromEnv: the provider that factory "${factory.name}" created`,
    );
    return provider;
  });
}

function checkFactories(value: unknown): ReadonlyMap<string, EmailProviderFactory> {
  if (!Array.isArray(value) || value.length === 0)
    throw new TypeError(
      'selectProvidersFromEnv: factories must be a non-empty array of provider factories, such as [resendProviderFactory]',
    );
  const byName = new Map<string, EmailProviderFactory>();
  value.forEach((factory: Partial<EmailProviderFactory> | null, index) => {
    const where = `selectProvidersFromEnv: factories[${index}]`;
    if (typeof factory?.name !== 'string' || factory.name.trim() === '' || factory.name.includes(','))
      throw new TypeError(`${where}.name must be a non-empty string without commas, such as "resend"`);
    if (typeof factory.apiKeyVariable !== 'string' || factory.apiKeyVariable.trim() === '')
      throw new TypeError(
        `${where}.apiKeyVariable must name an environment variable, such as "RESEND_API_KEY"`,
      );
    if (typeof factory.create !== 'function') throw new TypeError(`${where}.create must be a function`);
    const name = factory.name.trim().toLowerCase();
    if (byName.has(name)) throw new TypeError(`selectProvidersFromEnv: factories lists "${name}" twice`);
    byName.set(name, factory as EmailProviderFactory);
  });
  return byName;
}

function nonEmpty(value: string | undefined): string | undefined {
  const text = typeof value === 'string' ? value.trim() : '';
  return text === '' ? undefined : text;
}

/** `process.env` through `globalThis`, so the package still loads where there is no `process` (edge runtimes). */
function processEnv(): Environment {
  const process = (globalThis as { process?: { env?: Environment } }).process;
  return process?.env ?? {};
}
