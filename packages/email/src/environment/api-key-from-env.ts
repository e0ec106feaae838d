import { envSecret, fileSecret, Secret, type SecretSource } from '@resilient/secrets';
import type { Environment } from '../email-provider';
import { EmailConfigurationError } from '../errors/email-configuration-error';

/** Where a provider's key is, or why it is not there. */
export type ApiKeyLookup =
  | { readonly found: true; readonly source: SecretSource }
  | { readonly found: false; readonly reason: string };

/**
 * Finds a provider's API key in the environment: the variable itself (`RESEND_API_KEY`), read again on
 * every send so a changed value is picked up, or else a file named by `<variable>_FILE`
 * (`RESEND_API_KEY_FILE=/run/secrets/resend`, as Docker and Kubernetes mount secrets), read again when
 * the provider refuses the key. Both are read once here, to report a missing key at startup. Setting
 * both is an {@link EmailConfigurationError}. Never returns or reports a key's value.
 */
export function apiKeyFromEnv(variable: string, env: Environment): ApiKeyLookup {
  const fileVariable = `${variable}_FILE`;
  const value = nonEmpty(env[variable]);
  const path = nonEmpty(env[fileVariable]);
  if (value !== undefined && path !== undefined)
    throw new EmailConfigurationError({
      variable: fileVariable,
      message: `Set ${variable} (the key) or ${fileVariable} (a file holding it), not both`,
    });
  if (value !== undefined)
    return { found: true, source: trimmed(envSecret(variable, { env, envFile: false })) };
  if (path === undefined) return { found: false, reason: 'it is unset or empty' };
  const problem = fileProblem(path);
  if (problem !== undefined) return { found: false, reason: `${fileVariable} names ${path}: ${problem}` };
  return { found: true, source: fileSecret(path, { name: variable }) };
}

/** What is wrong with the file, when it can be read now (Node.js 20.16+); `undefined` when it is fine or cannot be checked. */
function fileProblem(path: string): string | undefined {
  const host = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
  const fs = host.process?.getBuiltinModule?.('node:fs') as
    | { readFileSync(path: string, encoding: 'utf8'): string }
    | undefined;
  // Elsewhere the first send reads it, and a missing file fails that send as an AuthError naming it.
  if (fs === undefined) return undefined;
  try {
    return fs.readFileSync(path, 'utf8').trim() === '' ? 'empty' : undefined;
  } catch (error) {
    const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
    return code === 'ENOENT' ? 'not found' : `not readable${typeof code === 'string' ? ` (${code})` : ''}`;
  }
}

/**
 * The source with its secret trimmed, as a file's is: a trailing newline in a variable (`echo` into an
 * env file) is not part of the key, and would be refused in an HTTP header.
 */
function trimmed(source: SecretSource): SecretSource {
  const trim = async (read: Promise<Secret>): Promise<Secret> => {
    const secret = await read;
    const value = secret.reveal();
    return value === value.trim() ? secret : new Secret(value.trim(), { name: secret.name });
  };
  return Object.freeze({
    name: source.name,
    get: () => trim(source.get()),
    refresh: (rejected?: Secret) => trim(source.refresh(rejected)),
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  const text = typeof value === 'string' ? value.trim() : '';
  return text === '' ? undefined : text;
}
