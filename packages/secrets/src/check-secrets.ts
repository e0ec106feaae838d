import { type EnvSecretOptions, envSecret } from './env-secret';
import { type MissingSecret, MissingSecretError } from './missing-secret-error';
import type { Secret } from './secret';
import { isSecretSource, type SecretSource } from './secret-source';
import { SecretUnavailableError } from './secret-unavailable-error';

/**
 * Checks at startup that every secret the application needs is there, and reports every missing one
 * at once: one `MissingSecretError` whose message lists each by name and place (`RESEND_API_KEY
 * (environment variable, not set); /run/secrets/stripe (file, not found)`), never a value. A string
 * is the name of an environment variable (read as {@link envSecret} reads it, with `options`).
 * Resolves with the secrets by name.
 *
 * @example
 * const { STRIPE_SECRET_KEY, RESEND_API_KEY } = await checkSecrets(['STRIPE_SECRET_KEY', 'RESEND_API_KEY']);
 */
export async function checkSecrets(
  secrets: readonly (SecretSource | string)[],
  options?: EnvSecretOptions,
): Promise<Readonly<Record<string, Secret>>> {
  if (!Array.isArray(secrets)) {
    throw new TypeError('checkSecrets: secrets must be an array of variable names or secret sources');
  }
  const sources = secrets.map((entry, index) => {
    if (typeof entry === 'string') return envSecret(entry, options);
    if (isSecretSource(entry)) return entry;
    throw new TypeError(`checkSecrets: secrets[${index}] must be a variable name or a secret source`);
  });
  const results = await Promise.allSettled(sources.map((source) => source.get()));
  const found: Record<string, Secret> = {};
  const missing: MissingSecret[] = [];
  results.forEach((result, index) => {
    const source = sources[index]!;
    if (result.status === 'fulfilled') found[source.name] = result.value;
    else missing.push(...describeFailure(source, result.reason));
  });
  if (missing.length > 0) throw new MissingSecretError(missing);
  return Object.freeze(found);
}

/** What a failed source reports: its own missing entries, or its name and why it failed. */
function describeFailure(source: SecretSource, error: unknown): MissingSecret[] {
  if (MissingSecretError.isInstance(error)) return [...error.missing];
  const reason = SecretUnavailableError.isInstance(error) ? 'its source failed' : 'could not be read';
  return [{ name: source.name, where: 'secret source', reason }];
}
