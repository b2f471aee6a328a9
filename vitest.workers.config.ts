import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve, normalize } from 'node:path';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { startMailOutbox } from './scripts/mail-outbox.mjs';
import { buildVideoWorker, VIDEO_DIST } from './scripts/build-video-worker.mjs';
// Type-checks the global setup (and the test servers) with the configs; erased at run time.
import type {} from './test/global-setup';
import type {} from './test/sdk/global-setup';
import type {} from './test/sdk/layer-urls';
import type {} from './test/people-setup';
import type {} from './test/backup-setup';

// wrangler reads [assets] from web/dist: build the dashboard first (a no-op when it is up to date).
execFileSync(process.execPath, ['scripts/build-dashboard.mjs', '--if-stale'], { cwd: import.meta.dirname, stdio: 'inherit' });

const fixturesRoot = resolve(import.meta.dirname, 'test/fixtures');

// The video Worker runs beside the Worker under test as an auxiliary worker, from the bundle wrangler makes of it.
buildVideoWorker();

// workerd has no file system: tests fetch fixture bytes from this Node-side service binding.
async function serveFixture(request: Request): Promise<Response> {
  const relative = normalize(decodeURIComponent(new URL(request.url).pathname)).replace(/^\/+/, '');
  if (relative.startsWith('..')) return new Response('outside fixtures', { status: 400 });
  try {
    return new Response(await readFile(resolve(fixturesRoot, relative)));
  } catch {
    return new Response(`no fixture ${relative}`, { status: 404 });
  }
}

// The Worker mails through the HTTP mail API to this catcher; tests read codes and links at `<url>/messages`.
const mailOutbox = await startMailOutbox({ port: 0 });
mailOutbox.server.unref();

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          PLATFORM_ADMIN_TOKEN: 'test-admin-token',
          MASTER_KEY: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=',
          // The origin tests fetch from servers on 127.0.0.1 (test/global-setup.ts).
          ALLOW_PRIVATE_ORIGINS: 'true',
          // Usage tests read delivered bytes right after delivering them.
          USAGE_FLUSH_MS: '0',
          // Analytics tests read events right after the deliveries that made them.
          ANALYTICS_FLUSH_MS: '0',
          MAIL_API_URL: `${mailOutbox.url}/send`,
          // Video jobs: a short polling window before the 302, immediate retries, a stand-in transcoder
          // (test/workers/video/fake-transcoder.ts answers fetches to it).
          VIDEO_POLL: '2x250',
          VIDEO_RETRY_BASE_SECONDS: '0',
          TRANSCODER_URL: 'http://transcoder.test',
          // Backup: immediate retries, and a change the dead-letter queue gave up on goes again after a second.
          BACKUP_RETRY_BASE_SECONDS: '0',
          BACKUP_PARK_SECONDS: '1',
        },
        serviceBindings: { FIXTURES: serveFixture, VIDEO: 'edgepix-video' },
        workers: [
          {
            name: 'edgepix-video',
            modules: true,
            scriptPath: resolve(VIDEO_DIST, 'index.js'),
            modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
            compatibilityDate: '2026-04-26',
          },
        ],
      },
    }),
  ],
  test: {
    include: ['test/workers/**/*.test.ts'],
    // Starts s3rver and the web-folder server for the origin tests; their addresses come through inject().
    // Signs URLs with the ImageKit SDKs in Node for the signed-URL tests (test/sdk/global-setup.ts).
    // Builds overlay URLs with @imagekit/nodejs for the layer tests (test/sdk/layer-urls.ts).
    globalSetup: ['./test/global-setup.ts', './test/sdk/global-setup.ts', './test/sdk/layer-urls.ts', './test/sdk/text-urls.ts', './test/people-setup.ts', './test/backup-setup.ts'],
    testTimeout: 30_000,
  },
});
