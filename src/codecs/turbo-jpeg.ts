/**
 * JPEG decoder over our libjpeg-turbo module (wasm/jpeg/). It decodes at a reduced DCT scale (1/8, 1/4, 1/2)
 * when the pipeline's hint leaves room for one (sharp's shrink-on-load rule, chooseJpegScale), so a 12 MP photo
 * bound for 800 px never exists at full size. Rows come out of the module a strip at a time, so its memory holds
 * the file and libjpeg's state, never the decoded image: open() hands them to the pipeline's first resize as
 * they come (a FrameSource), decode() copies them into a frame. Progressive
 * files keep a whole-image coefficient buffer whatever the scale: every decode is checked against a memory
 * budget from the header first and refused with a clear CodecError (→ 422) when it would not fit, rather than
 * running the isolate out of memory.
 */
import { type FrameSource, materialize, type RowConsumer } from '../image/frame-source';
import { CodecError, codecCall } from './errors';
import { assertJpegComplete } from './integrity';
import { chooseReduction } from './reduction';
import type { DecodeHint, Decoder, ImageInfo } from './types';
import { withInstance } from './wasm/instances';
import { instantiateStandalone, type StandaloneExports, type StandaloneModule } from './wasm/standalone';

interface JpegExports extends StandaloneExports {
  jpeg_error(): number;
  jpeg_header(data: number, length: number, info: number): number;
  jpeg_decode_begin(data: number, length: number, scaleDenom: number, maxMemory: number, info: number): number;
  jpeg_decode_rows(decode: number): number;
  jpeg_decode_finish(decode: number): number;
  jpeg_decode_abort(decode: number): void;
  jpeg_decode_keep_cmyk(decode: number): number;
}

/**
 * What one decode may need: the file and libjpeg's whole-image coefficient buffer (multi-scan files only) in
 * the module's memory, the RGBA frame the rows are copied into, and a little working memory. A Worker isolate
 * has 128 MB for everything; the rest is left to JS, the resizer and the encoder.
 */
export const JPEG_DECODE_BUDGET_BYTES = 96e6;
/** libjpeg's own tables, row buffers and allocator slack, generously. */
const WORKING_BYTES = 2e6;

/** The DCT scales libjpeg can decode at, as denominators of 1/n, largest first. */
const SCALE_DENOMINATORS = [8, 4, 2] as const;

/**
 * The DCT scale 1/n (n ∈ 8, 4, 2, 1) to decode at for `hint`, by the shrink-on-load rule of reduction.ts.
 * libjpeg's reduced IDCTs give what a full decode averaged over n×n blocks would, a box filter.
 */
export const chooseJpegScale = (width: number, height: number, hint: DecodeHint): number =>
  chooseReduction(width, height, hint, SCALE_DENOMINATORS);

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

/** Peak memory of decoding `header` at 1/`scale` from a file of `inputBytes` (module and frame together). */
export function jpegDecodeMemory(header: JpegHeader, scale: number, inputBytes: number): number {
  return inputBytes + header.coefficientBytes + outputBytes(header, scale) + WORKING_BYTES;
}

const mb = (bytes: number) => `${Math.ceil(bytes / 1e6)} MB`;

type Outcome = { ok: true } | { error: string };

/** One decode's rows: the module instance they come out of, the size the header promised, and where they go. */
interface RowStream {
  module: StandaloneModule<JpegExports>;
  size: { width: number; height: number };
  onRows: RowConsumer;
  /** CMYK files: rows as CMYK (DecodeHint.keepCmyk). */
  keepCmyk?: boolean;
}

/**
 * Decodes at 1/`scale` and hands the rows to `stream.onRows` a strip at a time, as they come out of the module. The
 * decode is released whatever happens, except after a trap (the instance is thrown away).
 */
function decodeWith(stream: RowStream, bytes: Uint8Array, scale: number): Outcome {
  const { module } = stream;
  const { exports } = module;
  const input = module.copyIn(bytes);
  const scratch = exports.malloc(64);
  try {
    if (!scratch) return { error: 'out of memory' };
    if (exports.jpeg_header(input, bytes.byteLength, scratch) !== 0) return { error: module.string(exports.jpeg_error()) };
    const header = readHeader(new Int32Array(exports.memory.buffer, scratch, 10));
    const needed = jpegDecodeMemory(header, scale, bytes.byteLength);
    if (needed > JPEG_DECODE_BUDGET_BYTES) {
      const what = header.progressive ? 'progressive JPEG' : 'JPEG';
      const at = scale === 1 ? 'at full size' : `at 1/${scale} scale`;
      return {
        error:
          `this ${header.width}×${header.height} ${what} needs about ${mb(needed)} of memory to decode ${at}, ` +
          `over the ${mb(JPEG_DECODE_BUDGET_BYTES)} a decode may use` +
          (header.progressive ? ' (progressive files are held whole while decoding; baseline files are not)' : ''),
      };
    }
    // libjpeg's own allocations may use what the file and the pixels leave of the budget: a safety net, should
    // it ever need more than the header promised.
    const allowance = JPEG_DECODE_BUDGET_BYTES - bytes.byteLength - outputBytes(header, scale);
    const decode = exports.jpeg_decode_begin(input, bytes.byteLength, scale, allowance, scratch);
    if (!decode) return { error: module.string(exports.jpeg_error()) };
    if (stream.keepCmyk) exports.jpeg_decode_keep_cmyk(decode);
    return readRows(stream, decode, scratch);
  } finally {
    exports.free(scratch);
    exports.free(input);
  }
}

function readRows({ module, size, onRows }: RowStream, decode: number, info: number): Outcome {
  const { exports } = module;
  const [width, height, strip] = Array.from(new Int32Array(exports.memory.buffer, info, 3)) as [number, number, number];
  let open = true;
  try {
    if (width !== size.width || height !== size.height) {
      open = false;
      exports.jpeg_decode_abort(decode);
      return { error: `the header promised ${size.width}×${size.height} at this scale, the decoder gives ${width}×${height}` };
    }
    const stride = width * 4;
    for (let row = 0; row < height; ) {
      const rows = exports.jpeg_decode_rows(decode);
      if (rows < 0) {
        open = false;
        return { error: module.string(exports.jpeg_error()) };
      }
      // A fresh view each time: memory may have grown.
      row += rows;
      if (onRows(new Uint8Array(exports.memory.buffer, strip, rows * stride), rows) === false && row < height) {
        // The consumer has all it needs (an extract above the bottom): the rest is never decoded.
        open = false;
        exports.jpeg_decode_abort(decode);
        return { ok: true };
      }
    }
    open = false;
    if (exports.jpeg_decode_finish(decode) !== 0) return { error: module.string(exports.jpeg_error()) };
    return { ok: true };
  } catch (error) {
    // A consumer that threw leaves the decode open; after a trap there is nothing left to release.
    if (!(error instanceof WebAssembly.RuntimeError) && open) exports.jpeg_decode_abort(decode);
    throw error;
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

/** Every JPEG streams: open() always gives a source. */
type StreamingDecoder = Omit<Decoder, 'open'> & { open(bytes: Uint8Array, info: ImageInfo, hint: DecodeHint): FrameSource };

export const turboJpegDecoder: StreamingDecoder = {
  format: 'jpeg',
  open(bytes: Uint8Array, info: ImageInfo, hint: DecodeHint): FrameSource {
    if (info.bitDepth !== 8) {
      throw new CodecError('jpeg decoder', `${info.bitDepth}-bit JPEG is not supported (only 8-bit samples)`);
    }
    assertJpegComplete(bytes);
    const scale = chooseJpegScale(info.width, info.height, hint);
    const size = { width: Math.ceil(info.width / scale), height: Math.ceil(info.height / scale) };
    return {
      ...size,
      hasAlpha: false,
      // Decoded at a reduced DCT scale: every pixel is a block mean of the full decode (see chooseJpegScale).
      boxFiltered: scale > 1,
      async read(onRows) {
        // A libjpeg error comes back as a message (the module longjmps out and cleans up; the instance stays
        // good). Only a trap throws, and withInstance then replaces the instance.
        const outcome = await codecCall('jpeg decoder', () =>
          withInstance('edgepixJpeg', boot, (module) =>
            decodeWith({ module, size, onRows, keepCmyk: hint.keepCmyk }, bytes, scale),
          ),
        );
        if ('error' in outcome) throw new CodecError('jpeg decoder', outcome.error);
      },
    };
  },
  async decode(bytes, info, hint) {
    return materialize(this.open(bytes, info, hint));
  },
};
