import type { Env as WorkerEnv } from '../../src/env';

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      /** Node-side service that serves files under test/fixtures (see vitest.workers.config.ts). */
      FIXTURES: Fetcher;
    }
  }
}
