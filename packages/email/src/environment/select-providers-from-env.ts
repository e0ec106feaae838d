import { checkEmailProvider } from '../client/check-email-provider';
import type { EmailProvider, EmailProviderFactory, Environment } from '../email-provider';
import { EmailConfigurationError } from '../errors/email-configuration-error';
import { type MissingApiKey, MissingApiKeyError } from '../missing-api-key-error';
import { apiKeyFromEnv } from './api-key-from-env';

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
 * set one variable, not both). Each provider's API key comes from its factory's `apiKeyVariable`
 * (`RESEND_API_KEY`), or else from the file `<apiKeyVariable>_FILE` names
 * (`RESEND_API_KEY_FILE=/run/secrets/resend`). The factory gets a `SecretSource` that reads it again:
 * the variable on every send, the file when the provider refuses the key, so a rotated key is picked up.
 *
 * Throws, at startup, an {@link EmailConfigurationError} when neither variable is set, both are, a
 * name is unknown (listing the known ones), or a key is given both ways, and one
 * {@link MissingApiKeyError} listing every selected provider whose key is unset or empty, or whose file
 * is missing, empty or unreadable. No message ever holds a key.
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
  // Every key is checked before any provider is built: one error lists all the missing ones.
  const missing: MissingApiKey[] = [];
  const keys = selected.map((factory) => {
    const lookup = apiKeyFromEnv(factory.apiKeyVariable, env);
    if (lookup.found) return lookup.source;
    missing.push({ variable: factory.apiKeyVariable, provider: factory.name, reason: lookup.reason });
    return undefined;
  });
  if (missing.length > 0) throw new MissingApiKeyError({ missing });
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
