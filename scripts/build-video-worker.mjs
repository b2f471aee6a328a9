#!/usr/bin/env node
// Bundles the video Worker (video.wrangler.toml) into .wrangler/video-dist/ the way `wrangler deploy` would, for
// the vitest pool (which runs it as an auxiliary worker) and the size measurement. Prints the bundle's sizes.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export const VIDEO_DIST = resolve(import.meta.dirname, '../.wrangler/video-dist');

export function buildVideoWorker() {
  const wrangler = resolve(import.meta.dirname, '../node_modules/.bin/wrangler');
  const out = execFileSync(wrangler, ['deploy', '--dry-run', '-c', 'video.wrangler.toml', '--outdir', VIDEO_DIST], {
    cwd: resolve(import.meta.dirname, '..'),
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    encoding: 'utf8',
  });
  return out.split('\n').find((line) => line.includes('Total Upload')) ?? '';
}

if (process.argv[1] === import.meta.filename) console.log(buildVideoWorker());
