import { defineConfig } from 'vitest/config';
// Type-checks the global setup with the configs; erased at run time.
import type {} from './test/e2e/global-setup';

// The dashboard in a real Chromium against one `wrangler dev` (asset routing exists only there, not in the pool).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['./test/e2e/global-setup.ts'],
    // One wrangler dev and one browser for the suite: files run one after another against them.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
