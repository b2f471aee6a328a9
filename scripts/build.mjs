// `npm run build`: bundles the Worker exactly as `wrangler deploy` would (without uploading) and prints the
// bundle size against the Workers limits (3 MB gzip on the free plan, 10 MB on paid).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const OUT = 'dist';
// The dashboard's files are uploaded with the Worker ([assets] in wrangler.toml).
execFileSync(process.execPath, ['scripts/build-dashboard.mjs'], { stdio: 'inherit' });
// Start empty: wrangler does not remove modules an earlier build wrote, and they would count here.
rmSync(OUT, { recursive: true, force: true });
execFileSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', OUT], {
  stdio: 'inherit',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
});

let raw = 0;
let gzip = 0;
const rows = [];
for (const name of readdirSync(OUT)) {
  const path = join(OUT, name);
  if (!statSync(path).isFile() || name.endsWith('.map') || name.endsWith('.md')) continue;
  const bytes = readFileSync(path);
  const zipped = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gzip += zipped;
  rows.push([name, bytes.length, zipped]);
}
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
for (const [name, size, zipped] of rows.sort((a, b) => b[1] - a[1])) {
  console.log(`${name.padEnd(48)} ${kib(size).padStart(12)} ${kib(zipped).padStart(12)} gzip`);
}
console.log(`bundle: ${kib(raw)} raw, ${kib(gzip)} gzip (Workers limit: 3 MiB gzip free, 10 MiB paid)`);
