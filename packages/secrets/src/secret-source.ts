import { isSecret, Secret } from './secret';

/**
 * Where a secret comes from: the environment ({@link envSecret}), a mounted file ({@link fileSecret}),
 * or a secret manager (build one on {@link cachedSource}). Adapters take one as `apiKey` and ask it
 * again when the provider refuses the key, so a rotated key is picked up without a deploy.
 */
export interface SecretSource {
  /** The secret's name, as its redacted form and error messages print it. */
  readonly name: string;
  /**
   * The current secret. Rejects with a `MissingSecretError` (naming the variable or file) when there is
   * none, or a `SecretUnavailableError` when the source failed and has no recent value to fall back on.
   */
  get(): Promise<Secret>;
  /**
   * Reads the secret again at the source, bypassing any cache: call it when the provider refused the
   * secret, which may have been rotated. Given the refused secret, a source that already holds a
   * different one returns that without reading again, so many calls refused at once cause one read.
   */
  refresh(rejected?: Secret): Promise<Secret>;
}

/** What an adapter's `apiKey` option takes: a plain string, a {@link Secret}, or a {@link SecretSource}. */
export type SecretInput = string | Secret | SecretSource;

/** Whether `value` is a {@link SecretSource}: an object with `get` and `refresh` methods and a `name`. */
export function isSecretSource(value: unknown): value is SecretSource {
  if (typeof value !== 'object' || value === null || isSecret(value)) return false;
  const candidate = value as Partial<SecretSource>;
  return (
    typeof candidate.get === 'function' &&
    typeof candidate.refresh === 'function' &&
    typeof candidate.name === 'string'
  );
}

/**
 * A source for any {@link SecretInput}: a source as it is; a string or a `Secret` as a fixed source
 * (whose `refresh` returns the same secret, so there is nothing to rotate to). `name` names a string.
 * Throws a `TypeError` naming `option` for anything else, or for an empty string.
 */
export function toSecretSource(input: SecretInput, name: string, option = 'apiKey'): SecretSource {
  if (isSecretSource(input)) return input;
  if (isSecret(input)) return fixedSource(input);
  if (typeof input === 'string' && input.trim() !== '') return fixedSource(new Secret(input, { name }));
  throw new TypeError(
    `${option} must be a non-empty string, a Secret or a SecretSource (get and refresh); got ${
      typeof input === 'string' ? 'an empty string' : input === null ? 'null' : typeof input
    }`,
  );
}

/** A source that always gives the same secret. */
function fixedSource(value: Secret): SecretSource {
  const resolved = Promise.resolve(value);
  return Object.freeze({
    name: value.name,
    get: () => resolved,
    refresh: () => resolved,
  });
}
