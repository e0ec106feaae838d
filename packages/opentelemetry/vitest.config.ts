import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Tests import the package by name, as users do; here the name points at the sources. */
const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [{ find: /^@resilient\/opentelemetry$/, replacement: source('./src/index.ts') }],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    restoreMocks: true,
    // Property and HTTP tests on a loaded 2-core CI machine: generous, but a hang still fails.
    testTimeout: 30_000,
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-results.json' }]] : ['default'],
  },
});
