import { defineConfig } from 'tsup';

// An app, not a library: one ESM entry, no type declarations; dependencies stay external.
export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
});
