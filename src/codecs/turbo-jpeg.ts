/**
 * JPEG decoder over our libjpeg-turbo module (wasm/jpeg/). It decodes at the smallest DCT scale (1/8, 1/4,
 * 1/2, 1) that still gives the pipeline the pixels its hint asks for, row by row straight into one RGBA
 * buffer, so a 12 MP photo bound for 800 px never exists at full size. Progressive files keep a whole-image
 * coefficient buffer whatever the scale: every decode is checked against a memory budget from the header
 * first and refused with a clear CodecError (→ 422) when it would not fit, rather than running the isolate
 * out of memory.
 */
import { CodecError, codecCall } from './errors';
import { toFrame } from './frames';
import { assertJpegComplete } from './integrity';
import type { DecodeHint, Decoder, ImageInfo } from './types';
import { withInstance } from './wasm/instances';
import { instantiateStandalone, type StandaloneExports, type StandaloneModule, takeRgba } from './wasm/standalone';

interface JpegExports extends StandaloneExports {
  jpeg_error(): number;
  jpeg_header(data: number, length: number, info: number): number;
  jpeg_decode(data: number, length: number, scaleDenom: number, maxMemory: number, size: number): number;
}

/**
 * What the decoder's WASM memory may hold for one decode: the file, libjpeg's whole-image coefficient buffer
 * (multi-scan files only), the RGBA output and a little working memory. A Worker isolate has 128 MB for
 * everything; the rest is left to JS, the resizer and the encoder.
 */
export const JPEG_DECODE_BUDGET_BYTES = 96e6;
/** libjpeg's own tables, row buffers and allocator slack, generously. */
const WORKING_BYTES = 2e6;

/** The DCT scales libjpeg can decode at, as denominators of 1/n, smallest first. */
const SCALE_DENOMINATORS = [8, 4, 2] as const;

/**
 * The smallest DCT scale 1/n (n ∈ 8, 4, 2, 1) whose output, ceil(w/n) × ceil(h/n) as libjpeg rounds it, is at
 * least hint.minWidth × hint.minHeight, so the pipeline never upscales what it could have decoded. Without a
 * hint: 1 (full size). A hint naming only one side leaves the other free.
 */
export function chooseJpegScale(width: number, height: number, hint: DecodeHint): number {
  if (hint.minWidth === undefined && hint.minHeight === undefined) return 1;
  const minWidth = hint.minWidth ?? 0;
  const minHeight = hint.minHeight ?? 0;
  for (const n of SCALE_DENOMINATORS) {
    if (Math.ceil(width / n) >= minWidth && Math.ceil(height / n) >= minHeight) return n;
  }
  return 1;
}

/** What libjpeg reads from the header (wasm/jpeg/jpeg.c, jpeg_header). */
export interface JpegHeader {
  width: number;
  height: number;
  components: number;
  /** libjpeg's J_COLOR_SPACE of the file: 1 grey, 2 RGB, 3 YCbCr, 4 CMYK, 5 YCCK. */
  colorSpace: number;
  progressive: boolean;
  arithmetic: boolean;
  precision: number;
  /** Bytes of the whole-image coefficient buffer libjpeg needs (multi-scan files), else 0. */
  coefficientBytes: number;
}

/** Bytes of the RGBA output of decoding `header` at 1/`scale`. */
function outputBytes(header: JpegHeader, scale: number): number {
  return Math.ceil(header.width / scale) * Math.ceil(header.height / scale) * 4;
}

/** Peak WASM memory of decoding `header` at 1/`scale` from a file of `inputBytes`. */
export function jpegDecodeMemory(header: JpegHeader, scale: number, inputBytes: number): number {
  return inputBytes + header.coefficientBytes + outputBytes(header, scale) + WORKING_BYTES;
}

const mb = (bytes: number) => `${Math.ceil(bytes / 1e6)} MB`;

type Decoded = { data: Uint8ClampedArray; width: number; height: number } | { error: string };

function decodeWith(module: StandaloneModule<JpegExports>, bytes: Uint8Array, hint: DecodeHint): Decoded {
  const { exports } = module;
  const input = module.copyIn(bytes);
  const scratch = exports.malloc(64);
  try {
    if (!scratch) return { error: 'out of memory' };
    if (exports.jpeg_header(input, bytes.byteLength, scratch) !== 0) return { error: module.string(exports.jpeg_error()) };
    const header = readHeader(new Int32Array(exports.memory.buffer, scratch, 10));
    const scale = chooseJpegScale(header.width, header.height, hint);
    const needed = jpegDecodeMemory(header, scale, bytes.byteLength);
    if (needed > JPEG_DECODE_BUDGET_BYTES) {
      const what = header.progressive ? 'progressive JPEG' : 'JPEG';
      const size = scale === 1 ? 'at full size' : `at 1/${scale} scale`;
      return {
        error:
          `this ${header.width}×${header.height} ${what} needs about ${mb(needed)} of memory to decode ${size}, ` +
          `over the ${mb(JPEG_DECODE_BUDGET_BYTES)} a decode may use` +
          (header.progressive ? ' (progressive files are held whole while decoding; baseline files are not)' : ''),
      };
    }
    // libjpeg's own allocations may use what the file and the pixels leave of the budget: a safety net, should
    // it ever need more than the header promised.
    const allowance = JPEG_DECODE_BUDGET_BYTES - bytes.byteLength - outputBytes(header, scale);
    const pixels = exports.jpeg_decode(input, bytes.byteLength, scale, allowance, scratch);
    if (!pixels) return { error: module.string(exports.jpeg_error()) };
    return takeRgba(module, pixels, scratch);
  } finally {
    exports.free(scratch);
    exports.free(input);
  }
}

function readHeader(info: Int32Array): JpegHeader {
  return {
    width: info[0]!,
    height: info[1]!,
    components: info[2]!,
    colorSpace: info[3]!,
    progressive: info[4] === 1,
    arithmetic: info[5] === 1,
    precision: info[6]!,
    coefficientBytes: info[7]! >>> 0,
  };
}

const boot = async () => instantiateStandalone<JpegExports>('edgepixJpeg');

export const turboJpegDecoder: Decoder = {
  format: 'jpeg',
  async decode(bytes: Uint8Array, info: ImageInfo, hint: DecodeHint) {
    if (info.bitDepth !== 8) {
      throw new CodecError('jpeg decoder', `${info.bitDepth}-bit JPEG is not supported (only 8-bit samples)`);
    }
    assertJpegComplete(bytes);
    // A libjpeg error comes back as a message (the module longjmps out and cleans up; the instance stays
    // good). Only a trap throws, and withInstance then replaces the instance.
    const result = await codecCall('jpeg decoder', () =>
      withInstance('edgepixJpeg', boot, (module) => decodeWith(module, bytes, hint)),
    );
    if ('error' in result) throw new CodecError('jpeg decoder', result.error);
    return toFrame(result, false);
  },
};
