/**
 * One case of `npm run bench:memory`, in a process of its own (WASM memories only grow, so each case needs fresh
 * modules): makes the input with sharp, sends it through edgepix's render path to an 800 px WebP, and prints the
 * decode module's memory, the largest JS frame and the budget's estimate as one JSON line. Every case sharp reads
 * also times the render's CPU against sharp's (decode, 800 px Lanczos3, WebP); AVIF cases add the jsquash
 * decoder's decode alone.
 *
 * Usage: tsx bench/memory-case.ts <jpeg|png|png-interlaced|webp|webp-lossless|avif|avif-420|avif-10bit|avif-grid|heic> <megapixels>
 * HEIC rows also time the render's CPU and heif-convert's decode of the same file (bench/heic-input.ts).
 */
import sharp, { type Sharp } from 'sharp';
import { writeAvifGrid } from '../scripts/avif-grid.mjs';
import { avifDecoder } from '../src/codecs/avif';
import { CodecError } from '../src/codecs/errors';
import { DECODE_BUDGET_BYTES, decodePeakBytes } from '../src/codecs/memory-budget';
import { probe, uprightSize } from '../src/codecs/probe/index';
import { wasmMemoryBytes, wasmMemoryByModule } from '../src/codecs/wasm/instances';
import { decodeHintFor } from '../src/transform/decode-hint';
import { parseTransformation } from '../src/transform/parse';
import { heicGrid, heifConvertCpuMs } from './heic-input';
import { cpuMs } from './measure';
import { renderWebp } from './render';
import { registerNodeWasmModules } from './wasm-modules';

const PHOTO = new URL('../test/fixtures/images/generated/photo-4000x3000.jpg', import.meta.url);

const [kind = 'jpeg', mp = '12'] = process.argv.slice(2);
const width = Math.round(Math.sqrt(Number(mp) * 1e6 * 1.5));
const height = Math.round(width / 1.5);
const base = sharp(PHOTO.pathname).resize(width, height, { fit: 'fill' });
const encoders: Record<string, () => Promise<Buffer>> = {
  jpeg: () => base.jpeg({ quality: 85 }).toBuffer(),
  png: () => base.png({ compressionLevel: 6 }).toBuffer(),
  'png-interlaced': () => base.png({ compressionLevel: 6, progressive: true }).toBuffer(),
  webp: () => base.webp({ quality: 80 }).toBuffer(),
  'webp-lossless': () => base.webp({ lossless: true, effort: 0 }).toBuffer(),
  avif: () => base.avif({ quality: 50, effort: 0 }).toBuffer(),
  'avif-420': () => base.avif({ quality: 50, effort: 0, chromaSubsampling: '4:2:0' }).toBuffer(),
  'avif-10bit': () => base.avif({ quality: 50, effort: 0, bitdepth: 10, chromaSubsampling: '4:2:0' }).toBuffer(),
  'avif-grid': () => avifGrid(base, width, height),
  heic: async () => Buffer.from(heicGrid(Number(mp))),
};
const bytes = new Uint8Array(await encoders[kind]!());
await registerNodeWasmModules();
const info = probe(bytes);
const estimate = decodePeakBytes(bytes, info, decodeHintFor(parseTransformation('w-800'), uprightSize(info), info.orientation));
// Delivery refuses what the budget refuses: running it here would only measure what production never does.
const refused = estimate !== null && estimate > DECODE_BUDGET_BYTES;
let largestFrameBytes = 0;
let cpu = 0;
try {
  if (!refused) cpu = await cpuMs(async () => ({ largestFrameBytes } = await renderWebp(bytes)));
} catch (error) {
  // A decoder that checks its own limit (an interlaced PNG held whole) refuses as delivery would: a 422.
  if (!(error instanceof CodecError)) throw error;
  console.log(JSON.stringify({ kind, width, height, refusedBy: error.reason }));
  process.exit(0);
}
const wasm = wasmMemoryBytes();
const modules = wasmMemoryByModule();
let reference = {};
if (kind === 'heic') reference = { cpu, referenceCpu: heifConvertCpuMs(bytes) };
if (kind !== 'heic' && !refused) {
  sharp.concurrency(1);
  const sharpMs = await cpuMs(() => sharp(bytes, { limitInputPixels: false }).resize(800).webp({ quality: 80 }).toBuffer());
  reference = { edgepixMs: cpu, sharpMs };
}
if (kind.startsWith('avif') && !refused) {
  // null: the jsquash decoder refused the file (its libavif rejects some grids sharp and dav1d read).
  let decoded = true;
  const jsquashMs = await cpuMs(() => avifDecoder.decode(bytes, info, {}).catch(() => (decoded = false)));
  reference = { ...reference, jsquashDecodeMs: decoded ? jsquashMs : null };
}
const size = kind === 'heic' ? { width: info.width, height: info.height } : { width, height };
console.log(JSON.stringify({ kind, ...size, wasm, modules, largestFrameBytes, estimate, ...reference }));

/** A grid of 512×512 tiles (4:2:0, the last row and column cropped) cut from `image`: scripts/avif-grid.mjs. */
async function avifGrid(image: Sharp, width: number, height: number): Promise<Buffer> {
  const tile = 512;
  const [columns, rows] = [Math.ceil(width / tile), Math.ceil(height / tile)];
  const raw = await image.raw().toBuffer({ resolveWithObject: true });
  const padded = sharp(raw.data, { raw: raw.info }).extend({ right: columns * tile - width, bottom: rows * tile - height, extendWith: 'copy' });
  const full = await padded.raw().toBuffer({ resolveWithObject: true });
  const files: Buffer[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const part = sharp(full.data, { raw: full.info }).extract({ left: c * tile, top: r * tile, width: tile, height: tile });
      files.push(await part.avif({ quality: 50, effort: 0, chromaSubsampling: '4:2:0' }).toBuffer());
    }
  }
  return Buffer.from(writeAvifGrid({ files, tiles: files.map((_, i) => i), rows, columns, width, height }));
}
