/**
 * Memory of a transformation by input format and size → 800 px WebP: the WASM modules' memory, the largest frame
 * JS holds, their sum, and what the decode budget (src/codecs/memory-budget.ts) estimates from the header for the
 * decoders that hold the whole image. Inputs the budget refuses are not run (they would take more than the
 * isolate has); the row says so. Each case runs in its own process (bench/memory-case.ts).
 *
 * Usage: npm run bench:memory
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DECODE_BUDGET_BYTES } from '../src/codecs/memory-budget';

const CASE = fileURLToPath(new URL('./memory-case.ts', import.meta.url));
const CASES: [string, number][] = [
  ['jpeg', 12],
  ['jpeg', 24],
  ['png', 12],
  ['png', 24],
  ['webp', 12],
  ['webp', 24],
  ['webp-lossless', 12],
  ['avif', 1],
  ['avif', 2],
  ['avif-10bit', 2],
  ['avif', 12],
  ['avif-420', 12],
  ['avif-420', 24],
  ['avif-420', 50],
  ['avif-10bit', 12],
  ['avif-10bit', 24],
  ['avif-10bit', 50],
  ['avif-grid', 12],
  ['avif-grid', 24],
  ['avif-grid', 50],
];

interface Row {
  kind: string;
  width: number;
  height: number;
  wasm: number;
  largestFrameBytes: number;
  estimate: number | null;
  /** AVIF: CPU ms of edgepix's render, sharp's, and the jsquash decoder's decode alone. */
  edgepixMs?: number;
  sharpMs?: number;
  jsquashDecodeMs?: number | null;
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1).padStart(6);
console.log('input              size        WASM MB  frame MB  total MB  estimate MB');
for (const [kind, megapixels] of CASES) {
  const out = execFileSync('npx', ['tsx', CASE, kind, String(megapixels)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const row = JSON.parse(out.trim().split('\n').pop()!) as Row;
  const size = `${row.width}×${row.height}`.padEnd(11);
  const estimate = row.estimate === null ? '   (rows)' : mb(row.estimate);
  const refused = row.estimate !== null && row.estimate > DECODE_BUDGET_BYTES;
  if (refused) console.log(`${kind.padEnd(18)} ${size} refused from the header: estimate ${mb(row.estimate!)} MB > ${DECODE_BUDGET_BYTES / 1e6} MB`);
  else console.log(`${kind.padEnd(18)} ${size} ${mb(row.wasm)}    ${mb(row.largestFrameBytes)}    ${mb(row.wasm + row.largestFrameBytes)}    ${estimate}${cpu(row)}`);
}

/** AVIF rows: the render's CPU against sharp's, and the previous (jsquash) decoder's decode alone. */
function cpu(row: Row): string {
  if (row.edgepixMs === undefined) return '';
  const ms = (n: number) => `${Math.round(n)} ms`;
  const jsquash = row.jsquashDecodeMs == null ? 'fails' : ms(row.jsquashDecodeMs);
  return `   CPU ${ms(row.edgepixMs)} = ${(row.edgepixMs / row.sharpMs!).toFixed(2)}× sharp's ${ms(row.sharpMs!)}; jsquash decode alone ${jsquash}`;
}
