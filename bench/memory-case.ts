/**
 * One case of `npm run bench:memory`, in a process of its own (WASM memories only grow, so each case needs fresh
 * modules): makes the input with sharp, sends it through edgepix's render path to an 800 px WebP, and prints the
 * decode module's memory, the largest JS frame and the budget's estimate as one JSON line.
 *
 * Usage: tsx bench/memory-case.ts <jpeg|png|webp|webp-lossless|avif|avif-10bit|heic> <megapixels>
 * HEIC rows also time the render's CPU and heif-convert's decode of the same file (bench/heic-input.ts).
 */
import sharp from 'sharp';
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
  webp: () => base.webp({ quality: 80 }).toBuffer(),
  'webp-lossless': () => base.webp({ lossless: true, effort: 0 }).toBuffer(),
  avif: () => base.avif({ quality: 50, effort: 0 }).toBuffer(),
  'avif-10bit': () => base.avif({ quality: 50, effort: 0, bitdepth: 10 }).toBuffer(),
  heic: async () => Buffer.from(heicGrid(Number(mp))),
};
const bytes = new Uint8Array(await encoders[kind]!());
await registerNodeWasmModules();
const info = probe(bytes);
const estimate = decodePeakBytes(bytes, info, decodeHintFor(parseTransformation('w-800'), uprightSize(info), info.orientation));
// Delivery refuses what the budget refuses: running it here would only measure what production never does.
const refused = estimate !== null && estimate > DECODE_BUDGET_BYTES;
let largestFrameBytes = 0;
const cpu = refused ? 0 : await cpuMs(async () => ({ largestFrameBytes } = await renderWebp(bytes)));
const reference = kind === 'heic' ? { cpu, referenceCpu: heifConvertCpuMs(bytes) } : {};
const size = kind === 'heic' ? { width: info.width, height: info.height } : { width, height };
console.log(JSON.stringify({ kind, ...size, wasm: wasmMemoryBytes(), modules: wasmMemoryByModule(), largestFrameBytes, estimate, ...reference }));
