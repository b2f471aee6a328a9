/**
 * WebP decoder and encoder over our libwebp module (wasm/webp/: Debian's libwebp 1.5.0, which includes the
 * CVE-2023-4863 and CVE-2023-1999 fixes, SIMD build). One instance serves both directions.
 *
 * Decoding honours the pipeline's hint the way the resizer's box shrink does: libwebp scales while decoding
 * (area averaging) by a whole factor that still leaves at least 2× for the final Lanczos pass, so quality is
 * that of a full decode followed by the resizer, for a fraction of the memory.
 */
import type { Frame } from '../image/frame';
import { CodecError, codecCall } from './errors';
import { toFrame } from './frames';
import { chooseReduction } from './reduction';
import { DECODE_REDUCTIONS, type DecodeHint, type Decoder, type EncodeOptions, type Encoder } from './types';
import { withInstance } from './wasm/instances';
import { instantiateStandalone, type StandaloneExports, type StandaloneModule, takeRgba } from './wasm/standalone';

interface WebpExports extends StandaloneExports {
  webp_error(): number;
  webp_decode(data: number, length: number, width: number, height: number, size: number): number;
  webp_encode(
    rgba: number,
    width: number,
    height: number,
    hasAlpha: number,
    quality: number,
    lossless: number,
    method: number,
    exact: number,
    size: number,
  ): number;
}

/**
 * libwebp's own speed/size balance (cwebp's default, and sharp's default `effort`). Every other setting is
 * libwebp's default too (sns 50, filter strength 60, sharpness 0, 4 segments, no sharp YUV), which is what
 * sharp's `.webp({ quality })` uses: for the same pixels both write the same bytes.
 */
const METHOD = 4;

/** libwebp's scaled decode takes any size; the pipeline's reductions, largest first. */
const WEBP_REDUCTIONS = [...DECODE_REDUCTIONS].reverse();

/** The size to decode a `width`×`height` WebP at for `hint`, by the shrink-on-load rule of reduction.ts. */
export function webpDecodeSize(width: number, height: number, hint: DecodeHint): { width: number; height: number } {
  const k = chooseReduction(width, height, hint, WEBP_REDUCTIONS);
  return { width: Math.ceil(width / k), height: Math.ceil(height / k) };
}

type Result<T> = T | { error: string };

function decodeWith(
  module: StandaloneModule<WebpExports>,
  bytes: Uint8Array,
  size: { width: number; height: number },
): Result<{ data: Uint8ClampedArray; width: number; height: number }> {
  const { exports } = module;
  const input = module.copyIn(bytes);
  const scratch = exports.malloc(8);
  try {
    if (!scratch) return { error: 'out of memory' };
    const pixels = exports.webp_decode(input, bytes.byteLength, size.width, size.height, scratch);
    if (!pixels) return { error: module.string(exports.webp_error()) };
    return takeRgba(module, pixels, scratch);
  } finally {
    exports.free(scratch);
    exports.free(input);
  }
}

function encodeWith(module: StandaloneModule<WebpExports>, frame: Frame, opts: EncodeOptions): Result<Uint8Array> {
  const { exports } = module;
  const input = module.copyIn(frame.data);
  const scratch = exports.malloc(8);
  try {
    if (!scratch) return { error: 'out of memory' };
    const output = exports.webp_encode(
      input,
      frame.width,
      frame.height,
      frame.hasAlpha ? 1 : 0,
      // For lossless, quality is effort: the most, as before.
      opts.lossless ? 100 : opts.quality,
      opts.lossless ? 1 : 0,
      METHOD,
      // lossless means every pixel back exactly, including the RGB under fully transparent ones
      opts.lossless ? 1 : 0,
      scratch,
    );
    if (!output) return { error: module.string(exports.webp_error()) };
    const length = new Int32Array(exports.memory.buffer, scratch, 1)[0]!;
    const body = new Uint8Array(module.copyOut(output, length));
    exports.free(output);
    return body;
  } finally {
    exports.free(scratch);
    exports.free(input);
  }
}

const boot = async () => instantiateStandalone<WebpExports>('edgepixWebp');

/** libwebp errors come back as messages and leave the instance good; only a trap replaces it. */
async function run<T>(codec: string, call: (module: StandaloneModule<WebpExports>) => Result<T>): Promise<T> {
  const result = await codecCall(codec, () => withInstance('edgepixWebp', boot, call));
  if (typeof result === 'object' && result !== null && 'error' in result) throw new CodecError(codec, result.error);
  return result as T;
}

export const libwebpDecoder: Decoder = {
  format: 'webp',
  async decode(bytes, info, hint) {
    const size = webpDecodeSize(info.width, info.height, hint);
    const image = await run('webp decoder', (module) => decodeWith(module, bytes, size));
    return toFrame(image, info.hasAlpha);
  },
};

export const libwebpEncoder: Encoder = {
  format: 'webp',
  mimeType: 'image/webp',
  encode(frame, opts) {
    return run('webp encoder', (module) => encodeWith(module, frame, opts));
  },
};
