import { defineConfig } from 'vitest/config';

// Pure modules (parser, planner, probe, pixel operations) run under plain Node.
export default defineConfig({
  test: {
    include: ['test/node/**/*.test.ts'],
    environment: 'node',
  },
});
