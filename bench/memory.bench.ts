/**
 * Memory of a transformation by input format and size → 800 px WebP: the WASM modules' memory, the largest frame
 * JS holds, their sum, and what the decode budget (src/codecs/memory-budget.ts) estimates from the header for the
 * decoders that hold the whole image. Inputs the budget refuses are not run (they would take more than the
 * isolate has); the row says so. Each case runs in its own process (bench/memory-case.ts).
 *
 * Then "largest allowed output" rows: a 12 MP photo resized to each format's output limit
 * (src/codecs/output-limits.ts) and encoded (bench/output-case.ts): the modules' memory, the largest JS frame and
 * the file (held twice in JS while its pieces are joined), against the 96 MB a request may use.
 *
 * Usage: npm run bench:memory
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DECODE_BUDGET_BYTES } from '../src/codecs/memory-budget';
import { outputLimit } from '../src/codecs/output-limits';
import type { OutputFormat } from '../src/codecs/types';

const CASE = fileURLToPath(new URL('./memory-case.ts', import.meta.url));
const CASES: [string, number][] = [
  ['jpeg', 12],
  ['jpeg', 24],
  ['jpeg', 50],
  ['png', 12],
  ['png', 24],
  ['png', 50],
  ['png-interlaced', 12],
  ['png-interlaced', 24],
  ['webp', 12],
  ['webp', 24],
  ['webp', 50],
  ['webp-lossless', 12],
  ['webp-lossless', 24],
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
  ['heic', 12],
  ['heic', 24],
  ['heic', 50],
];

interface Row {
  kind: string;
  width: number;
  height: number;
  wasm: number;
  largestFrameBytes: number;
  estimate: number | null;
  /** CPU ms of edgepix's render and sharp's (every input sharp reads); AVIF: the jsquash decoder's decode alone. */
  edgepixMs?: number;
  sharpMs?: number;
  jsquashDecodeMs?: number | null;
  /** HEIC rows: the render's CPU ms, and heif-convert's (decode only, to Y4M) on the same file. */
  cpu?: number;
  referenceCpu?: number | null;
  /** The decoder's own refusal (an interlaced PNG over its budget), answered as a 422. */
  refusedBy?: string;
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1).padStart(6);
const cpuLines: string[] = [];
console.log('input              size        WASM MB  frame MB  total MB  estimate MB');
for (const [kind, megapixels] of CASES) {
  const out = execFileSync('npx', ['tsx', CASE, kind, String(megapixels)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const row = JSON.parse(out.trim().split('\n').pop()!) as Row;
  const size = `${row.width}×${row.height}`.padEnd(11);
  if (row.refusedBy) {
    console.log(`${kind.padEnd(18)} ${size} refused by the decoder: ${row.refusedBy}`);
    continue;
  }
  const estimate = row.estimate === null ? '   (rows)' : mb(row.estimate);
  const refused = row.estimate !== null && row.estimate > DECODE_BUDGET_BYTES;
  if (refused) console.log(`${kind.padEnd(18)} ${size} refused from the header: estimate ${mb(row.estimate!)} MB > ${DECODE_BUDGET_BYTES / 1e6} MB`);
  else console.log(`${kind.padEnd(18)} ${size} ${mb(row.wasm)}    ${mb(row.largestFrameBytes)}    ${mb(row.wasm + row.largestFrameBytes)}    ${estimate}${cpuVsSharp(row)}`);
  if (row.cpu !== undefined) cpuLines.push(cpuLine(row));
}
if (cpuLines.length) console.log(`\nCPU, whole render → 800 px WebP vs heif-convert's decode alone (to Y4M):\n${cpuLines.join('\n')}`);

/** The render's CPU against sharp's; AVIF rows add the previous (jsquash) decoder's decode alone. */
function cpuVsSharp(row: Row): string {
  if (row.edgepixMs === undefined) return '';
  const ms = (n: number) => `${Math.round(n)} ms`;
  const cpu = `   CPU ${ms(row.edgepixMs)} = ${(row.edgepixMs / row.sharpMs!).toFixed(2)}× sharp's ${ms(row.sharpMs!)}`;
  if (row.jsquashDecodeMs === undefined) return cpu;
  return `${cpu}; jsquash decode alone ${row.jsquashDecodeMs === null ? 'fails' : ms(row.jsquashDecodeMs)}`;
}

function cpuLine(row: Row): string {
  const ref = row.referenceCpu;
  const vs = ref ? `heif-convert ${ref.toFixed(0)} ms, ratio ${(row.cpu! / ref).toFixed(2)}` : 'heif-convert not installed';
  return `${row.kind} ${row.width}×${row.height}: edgepix ${row.cpu!.toFixed(0)} ms; ${vs}`;
}

const OUTPUT_CASE = fileURLToPath(new URL('./output-case.ts', import.meta.url));
interface OutputRow {
  format: string;
  width: number;
  height: number;
  wasm: number;
  largestFrameBytes: number;
  outputBytes: number;
}
console.log('\nlargest allowed output  size        WASM MB  frame MB  file×2 MB  total MB (of 96)');
for (const [format, progressive] of [['jpeg'], ['jpeg', 'progressive'], ['png'], ['webp'], ['avif']] as [OutputFormat, string?][]) {
  const limit = outputLimit(format, progressive !== undefined).megapixels;
  const args = [OUTPUT_CASE, format, String(limit), ...(progressive ? [progressive] : [])];
  const out = execFileSync('npx', ['tsx', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const row = JSON.parse(out.trim().split('\n').pop()!) as OutputRow;
  const total = row.wasm + row.largestFrameBytes + 2 * row.outputBytes;
  const size = `${row.width}×${row.height}`.padEnd(11);
  console.log(`${row.format.padEnd(23)} ${size} ${mb(row.wasm)}    ${mb(row.largestFrameBytes)}     ${mb(2 * row.outputBytes)}    ${mb(total)}`);
}
