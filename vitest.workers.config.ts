import { readFile } from 'node:fs/promises';
import { resolve, normalize } from 'node:path';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

const fixturesRoot = resolve(import.meta.dirname, 'test/fixtures');

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

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          PLATFORM_ADMIN_TOKEN: 'test-admin-token',
          MASTER_KEY: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=',
        },
        serviceBindings: { FIXTURES: serveFixture },
      },
    }),
  ],
  test: {
    include: ['test/workers/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
