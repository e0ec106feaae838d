import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    restoreMocks: true,
    // End-to-end runs on a loaded 2-core CI machine: generous, but a hang still fails.
    testTimeout: 45_000,
    hookTimeout: 15_000,
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-results.json' }]] : ['default'],
  },
});
