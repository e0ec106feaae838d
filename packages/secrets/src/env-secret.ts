import { checkKeys, checkOptions, requireText } from './internal/validate';
import { type EnvironmentFile, loadEnvironmentFile } from './load-environment-file';
import { MissingSecretError } from './missing-secret-error';
import { Secret } from './secret';
import type { SecretSource } from './secret-source';

/** Options of {@link envSecret}. */
export interface EnvSecretOptions {
  /** The environment to read. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * A `.env` file for local development, relative to the working directory, read once by Node's own
   * loader (`process.loadEnvFile`; no dotenv). Variables already set always win over the file. A
   * missing file is ignored. Default: `.env`; `false` to read none.
   */
  readonly envFile?: string | false;
}

/**
 * The secret in an environment variable: how production passes keys (set by the platform, never in a
 * file in the repository), with a local `.env` for development. The variable is read on every `get`,
 * so nothing is cached; a missing or empty one rejects with a `MissingSecretError` naming it.
 *
 * @example
 * const apiKey = envSecret('RESEND_API_KEY');
 * const provider = createResendProvider({ apiKey });
 */
export function envSecret(variable: string, options?: EnvSecretOptions): SecretSource {
  const where = 'envSecret';
  const name = requireText(where, 'variable', variable).trim();
  const record = checkOptions(where, options);
  checkKeys(where, record, ['env', 'envFile']);
  if (record.env !== undefined && (typeof record.env !== 'object' || record.env === null)) {
    throw new TypeError(`${where}: env must be an object of variables, such as process.env`);
  }
  const envFile: EnvironmentFile =
    record.envFile === false ? false : requireText(where, 'envFile', record.envFile ?? '.env');
  const read = async (): Promise<Secret> => {
    const env = record.env ?? processEnvironment();
    const value = env[name] ?? (await loadEnvironmentFile(envFile, env))[name];
    if (value === undefined || value.trim() === '') {
      throw new MissingSecretError([
        { name, where: 'environment variable', reason: value === undefined ? 'not set' : 'empty' },
      ]);
    }
    // A value pasted with a trailing newline would otherwise end up in an HTTP header.
    return new Secret(value.trim(), { name });
  };
  return Object.freeze({ name, get: read, refresh: read });
}

/** `process.env`, or an empty environment where there is no `process` (an edge runtime). */
function processEnvironment(): Readonly<Record<string, string | undefined>> {
  const host = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return host.process?.env ?? {};
}
