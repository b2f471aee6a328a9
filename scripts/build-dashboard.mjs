// Builds the dashboard (web/) into web/dist/app/, which wrangler.toml's [assets] serves under /app/.
// `--if-stale` skips the build when the output is newer than every source file (what `npm start`, the tests and
// the vitest configs call, so a fresh clone builds once and later runs cost nothing).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const ROOT = resolve(import.meta.dirname, '..');
const WEB = join(ROOT, 'web');
const OUT = join(WEB, 'dist', 'app');
const PAGE = join(OUT, 'index.html');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function isStale() {
  if (!existsSync(PAGE)) return true;
  const inputs = Math.max(newestSource(WEB), statSync(join(ROOT, 'package-lock.json')).mtimeMs, statSync(import.meta.filename).mtimeMs);
  return inputs > statSync(PAGE).mtimeMs;
}

/** Bytes of the built scripts, raw and gzip (level 9, as a CDN would send them). */
export function scriptSizes() {
  const dir = join(OUT, 'assets');
  let raw = 0;
  let gzip = 0;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.js')) continue;
    const bytes = readFileSync(join(dir, name));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip };
}

export async function buildDashboard() {
  await build({
    root: WEB,
    base: '/app/',
    configFile: false,
    logLevel: 'warn',
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir: OUT,
      emptyOutDir: true,
      target: 'es2022',
      // No inline scripts or data: modules: the CSP allows scripts from this origin only.
      modulePreload: { polyfill: false },
      assetsInlineLimit: 0,
      reportCompressedSize: false,
    },
  });
}

if (import.meta.filename === resolve(process.argv[1] ?? '')) {
  if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);
  const started = Date.now();
  await buildDashboard();
  const { raw, gzip } = scriptSizes();
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`dashboard built into web/dist/app in ${Date.now() - started} ms: scripts ${kib(raw)} raw, ${kib(gzip)} gzip`);
}
