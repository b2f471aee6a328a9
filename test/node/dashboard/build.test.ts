import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const OUT = join(ROOT, 'web/dist/app');

describe('the dashboard build', () => {
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/build-dashboard.mjs', '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
  }, 60_000);

  it('keeps its scripts within 150 KB gzip', () => {
    const scripts = readdirSync(join(OUT, 'assets')).filter((name) => name.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    const gzip = scripts.reduce((sum, name) => sum + gzipSync(readFileSync(join(OUT, 'assets', name)), { level: 9 }).length, 0);
    expect(gzip).toBeLessThanOrEqual(150 * 1024);
  });

  it('writes a page with no inline script or style, loading hashed files from /app/assets/', () => {
    const page = readFileSync(join(OUT, 'index.html'), 'utf8');
    const scripts = [...page.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [tag, body] of scripts) {
      expect(body!.trim()).toBe('');
      expect(tag).toMatch(/src="\/app\/assets\/[\w-]+\.js"/);
    }
    expect(page).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
  });
});
