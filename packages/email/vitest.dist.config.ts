import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The same tests, with `@resilient/email` and `@resilient/email/testing` resolved to the built package
 * (`dist/`), as a consumer gets them: proves the published conformance suite runs in a user's vitest.
 * Run after `tsup` (`lint:package` does).
 */
const built = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@resilient\/email$/, replacement: built('./dist/index.js') },
      { find: /^@resilient\/email\/testing$/, replacement: built('./dist/testing.js') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    restoreMocks: true,
  },
});
