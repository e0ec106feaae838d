import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `apps/demo/.env`, next to `package.json` (this file runs from `src/` in tests and `dist/` when built). */
const DEMO_ENV_FILE = fileURLToPath(new URL('../.env', import.meta.url));

/**
 * Loads `apps/demo/.env` into `process.env` when it exists, with Node's own parser (no dotenv).
 * Variables already set in the environment win: the file fills in only what is missing.
 * Returns the file loaded, or `undefined`.
 */
export function loadDemoEnv(file: string = DEMO_ENV_FILE): string | undefined {
  if (!existsSync(file)) return undefined;
  process.loadEnvFile(file);
  return file;
}
