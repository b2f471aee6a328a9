import { defineConfig } from 'vitest/config';

// Whole processes: `wrangler dev` started, killed and started again on persisted state.
export default defineConfig({
  test: {
    include: ['test/process/**/*.test.ts'],
    environment: 'node',
    testTimeout: 150_000,
    hookTimeout: 120_000,
  },
});
