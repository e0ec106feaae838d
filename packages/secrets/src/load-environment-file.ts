/** A `.env` file's path, or `false` for none. */
export type EnvironmentFile = string | false;

type Variables = Readonly<Record<string, string | undefined>>;

const NONE: Variables = Object.freeze({});

/** Files already loaded into `process.env`, by path: Node's loader runs once per file per process. */
const loadedIntoProcess = new Set<string>();

/**
 * @internal The variables of a `.env` file for `env`. For `process.env` the file is loaded into it
 * once with `process.loadEnvFile` (which never overrides a variable already set), and the result is
 * `process.env` itself; for any other environment the file is parsed with `util.parseEnv` and nothing
 * is changed. A missing file, or a runtime without Node's loader, gives no variables.
 */
export async function loadEnvironmentFile(file: EnvironmentFile, env: Variables): Promise<Variables> {
  if (file === false) return NONE;
  const host = globalThis as { process?: { env?: object; loadEnvFile?: (path: string) => void } };
  const node = host.process;
  if (node === undefined) return NONE;
  if (env === node.env) {
    if (typeof node.loadEnvFile !== 'function') return NONE;
    if (!loadedIntoProcess.has(file)) {
      try {
        node.loadEnvFile(file);
        loadedIntoProcess.add(file);
      } catch (error) {
        if (codeOf(error) !== 'ENOENT') throw unreadable(file, error);
      }
    }
    return env;
  }
  try {
    const [{ readFile }, { parseEnv }] = await Promise.all([import('node:fs/promises'), import('node:util')]);
    return parseEnv(await readFile(file, 'utf8'));
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return NONE;
    throw unreadable(file, error);
  }
}

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

/** An error naming the file and the reason, never its content. */
function unreadable(file: string, error: unknown): Error {
  const code = codeOf(error);
  return new Error(`The env file ${file} could not be read${typeof code === 'string' ? ` (${code})` : ''}`);
}
