import { execFileSync } from 'node:child_process';
import { defineConfig } from 'vitest/config';

// wrangler reads [assets] from web/dist: build the dashboard first (a no-op when it is up to date).
execFileSync(process.execPath, ['scripts/build-dashboard.mjs', '--if-stale'], { cwd: import.meta.dirname, stdio: 'inherit' });

// Whole processes: `wrangler dev` started, killed and started again on persisted state.
export default defineConfig({
  test: {
    include: ['test/process/**/*.test.ts'],
    environment: 'node',
    testTimeout: 150_000,
    hookTimeout: 120_000,
  },
});
