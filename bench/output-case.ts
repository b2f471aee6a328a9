/**
 * One "largest allowed output" case of `npm run bench:memory`, in a process of its own (WASM memories only
 * grow): a 12 MP JPEG resized (up, for the largest) to `megapixels` and encoded as `format` through edgepix's render path (the resize
 * streamed into a row encoder where the encoder takes rows), printing the modules' memory, the largest JS frame
 * and the output's size as one JSON line. JS holds the file's pieces and the joined file at the end: twice the
 * output.
 *
 * Usage: tsx bench/output-case.ts <jpeg|png|webp|avif> <megapixels> [progressive]
 */
import { readFileSync } from 'node:fs';
import { openUpright } from '../src/codecs/open';
import { probe, uprightSize } from '../src/codecs/probe/index';
import { encoderFor } from '../src/codecs/registry';
import type { OutputFormat } from '../src/codecs/types';
import { wasmMemoryBytes, wasmMemoryByModule } from '../src/codecs/wasm/instances';
import { isFrameSource } from '../src/image/frame-source';
import { applySteps } from '../src/transform/apply-steps';
import { decodeHintFor } from '../src/transform/decode-hint';
import { parseTransformation } from '../src/transform/parse';
import { registerNodeWasmModules } from './wasm-modules';

const PHOTO = new URL('../test/fixtures/images/generated/photo-4000x3000.jpg', import.meta.url);

const [format = 'jpeg', mp = '24', progressive] = process.argv.slice(2) as [OutputFormat, string, string?];
await registerNodeWasmModules();
const bytes = new Uint8Array(readFileSync(PHOTO));
const info = probe(bytes);
const original = uprightSize(info);
// The widest 4:3 output (the photo's shape) within the limit.
const width = Math.floor(Math.sqrt((Number(mp) * 1e6 * 4) / 3));
const transformation = parseTransformation(`w-${width}`);
const hint = decodeHintFor(transformation, original, info.orientation);
const encoder = encoderFor(format);
const image = await applySteps(await openUpright(bytes, info, hint), transformation, original, { rowsOut: encoder.encodeRows !== undefined });
const options = { quality: format === 'avif' ? 50 : 80, lossless: false, progressive: progressive === 'progressive' };
const body = isFrameSource(image) ? await encoder.encodeRows!(image, options) : await encoder.encode(image, options);
const largestFrameBytes = isFrameSource(image) ? 0 : image.data.byteLength;
console.log(
  JSON.stringify({
    format: `${format}${progressive ? ' progressive' : ''}`,
    width: image.width,
    height: image.height,
    wasm: wasmMemoryBytes(),
    modules: wasmMemoryByModule(),
    largestFrameBytes,
    outputBytes: body.byteLength,
  }),
);
