/**
 * PNG decoder over our libspng module (wasm/png/). The module reads the file through an import as it goes and
 * hands out the decoded RGBA rows a strip at a time, so its memory holds libspng's state, zlib's window and
 * one strip: open() gives the pipeline's first resize those strips as they come (a FrameSource), the way the
 * JPEG decoder does, and a 24 MP PNG bound for 800 px never exists at full size.
 *
 * An interlaced (Adam7) file delivers its pixels in seven passes over the whole image, so nothing can be
 * handed on before the last pass: it is decoded whole into a frame (the module still holds only a strip; the
 * host places each pass's pixels), and refused from its header when that frame would not fit the budget.
 */
import { type Frame, anyTransparent, createFrame } from '../image/frame';
import { type FrameSource, materialize, type RowConsumer } from '../image/frame-source';
import { CodecError, codecCall } from './errors';
import type { Decoder, ImageInfo } from './types';
import { withInstance } from './wasm/instances';
import { instantiateStandalone, type StandaloneExports, type StandaloneModule } from './wasm/standalone';

interface PngExports extends StandaloneExports {
  png_error(): number;
  png_decode_begin(length: number, info: number): number;
  png_decode_rows(decode: number, where: number): number;
  png_decode_finish(decode: number): number;
  png_decode_abort(decode: number): void;
}

/** The module, and the file its png_input import reads while a decode runs. */
interface PngModule extends StandaloneModule<PngExports> {
  file?: Uint8Array;
}

/**
 * What one decode may need: the module's working memory and, for an interlaced file, the RGBA frame it is
 * decoded into. 64 MB is a 16 MP interlaced image; with the resizer and the encoder (about 6 MB of WASM for
 * an 800-px WebP) and the file itself that stays inside the isolate's 128 MB. A file that is not interlaced
 * needs about 1 MB at any height; only an absurdly wide one comes near the budget.
 */
export const PNG_DECODE_BUDGET_BYTES = 64e6;
/** The module's own memory (stack, libspng's context, zlib's window), generously. */
const WORKING_BYTES = 1e6;
/** The strip the module writes rows to (wasm/png/png.c, STRIP_BYTES), or one row if wider. */
const STRIP_BYTES = 256 * 1024;

/** IHDR, which the probe found first and intact: what decides the decode's memory. */
export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  interlaced: boolean;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export function readPngHeader(bytes: Uint8Array): PngHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    width: view.getUint32(16),
    height: view.getUint32(20),
    bitDepth: bytes[24]!,
    colourType: bytes[25]!,
    interlaced: bytes[28] === 1,
  };
}

/**
 * Peak memory of decoding `header`: libspng's two scanlines (as stored, plus its padding) and one more RGBA row
 * for an interlaced file, the strip, the module's working memory, and an interlaced file's RGBA frame.
 */
export function pngDecodeMemory(header: PngHeader): number {
  const { width, height } = header;
  const scanline = Math.ceil((width * (CHANNELS[header.colourType] ?? 4) * header.bitDepth) / 8) + 33;
  const rows = 2 * scanline + Math.max(STRIP_BYTES, width * 4) + (header.interlaced ? width * 4 : 0);
  return WORKING_BYTES + rows + (header.interlaced ? width * height * 4 : 0);
}

const mb = (bytes: number) => `${Math.ceil(bytes / 1e6)} MB`;

/** Refuses, before any decoding, a file whose decode would not fit PNG_DECODE_BUDGET_BYTES. */
function checkBudget(header: PngHeader): void {
  const needed = pngDecodeMemory(header);
  if (needed <= PNG_DECODE_BUDGET_BYTES) return;
  const what = header.interlaced ? 'interlaced (Adam7) PNG' : 'PNG';
  throw new CodecError(
    'png decoder',
    `this ${header.width}×${header.height} ${what} needs about ${mb(needed)} of memory to decode, ` +
      `over the ${mb(PNG_DECODE_BUDGET_BYTES)} a decode may use` +
      (header.interlaced ? ' (interlaced files are held whole while decoding; others are not)' : ''),
  );
}

type Outcome = { ok: true } | { error: string };

/** Where png_decode_rows put its rows (wasm/png/png.c, ROWS_*): image rows y, y + yStep, … columns x, x + xStep, … */
interface Strip {
  rows: number;
  y: number;
  yStep: number;
  x: number;
  xStep: number;
  width: number;
}

/**
 * Runs one decode of `bytes` on the module, handing every strip to `onStrip` as it comes (a view into the
 * module's memory, valid during the call); `onStrip` returns false to stop early. The decode is released
 * whatever happens, except after a trap (the instance is thrown away).
 */
function decodeWith(
  module: PngModule,
  bytes: Uint8Array,
  size: { width: number; height: number },
  onStrip: (pixels: Uint8Array, strip: Strip) => void | boolean,
): Outcome {
  const { exports } = module;
  const scratch = exports.malloc(4 * 8);
  if (!scratch) return { error: 'out of memory' };
  module.file = bytes;
  let decode = 0;
  try {
    decode = exports.png_decode_begin(bytes.byteLength, scratch);
    if (!decode) return { error: module.string(exports.png_error()) };
    const [width, height, , strip] = Array.from(new Int32Array(exports.memory.buffer, scratch, 4)) as number[];
    if (width !== size.width || height !== size.height) {
      return { error: `the header promised ${size.width}×${size.height}, the decoder gives ${width}×${height}` };
    }
    for (;;) {
      const rows = exports.png_decode_rows(decode, scratch);
      if (rows < 0) {
        decode = 0; // released by the module
        return { error: module.string(exports.png_error()) };
      }
      if (rows === 0) break;
      // A fresh view each time: memory may have grown.
      const [y, yStep, x, xStep, rowWidth] = Array.from(new Int32Array(exports.memory.buffer, scratch, 5)) as number[];
      const where = { rows, y: y!, yStep: yStep!, x: x!, xStep: xStep!, width: rowWidth! };
      const pixels = new Uint8Array(exports.memory.buffer, strip!, rows * where.width * 4);
      if (onStrip(pixels, where) === false) return { ok: true };
    }
    const finished = exports.png_decode_finish(decode);
    decode = 0;
    return finished === 0 ? { ok: true } : { error: module.string(exports.png_error()) };
  } catch (error) {
    // After a trap there is nothing left to release (withInstance drops the instance).
    if (error instanceof WebAssembly.RuntimeError) decode = 0;
    throw error;
  } finally {
    if (decode) exports.png_decode_abort(decode);
    module.file = undefined;
    exports.free(scratch);
  }
}

function boot(): Promise<PngModule> {
  const module: PngModule = instantiateStandalone<PngExports>('edgepixPng', {
    // libspng's reads of the file: `length` bytes from `offset` copied into the module at `dest`.
    png_input(dest, offset, length) {
      const from = module.file?.subarray(offset, offset + length);
      if (!from) return 0;
      new Uint8Array(module.exports.memory.buffer, dest, from.length).set(from);
      return from.length;
    },
  });
  return Promise.resolve(module);
}

/** Runs a decode on the shared instance; libspng's errors come back as messages, only a trap throws. */
async function run(bytes: Uint8Array, size: { width: number; height: number }, onStrip: Parameters<typeof decodeWith>[3]) {
  const outcome = await codecCall('png decoder', () =>
    withInstance('edgepixPng', boot, (module) => decodeWith(module, bytes, size, onStrip)),
  );
  if ('error' in outcome) throw new CodecError('png decoder', outcome.error);
}

/**
 * A file that is not interlaced, as a row source: its rows are handed on as the module decodes them. The header
 * can only say the pixels may be transparent; a frame made from them settles it (FrameSource.alphaUnchecked).
 */
function rowSource(bytes: Uint8Array, info: ImageInfo): FrameSource {
  const size = { width: info.width, height: info.height };
  return {
    ...size,
    hasAlpha: info.hasAlpha,
    alphaUnchecked: info.hasAlpha,
    read(onRows: RowConsumer) {
      let row = 0;
      return run(bytes, size, (pixels, strip) => {
        row += strip.rows;
        return onRows(pixels, strip.rows) !== false || row === size.height;
      });
    },
  };
}

/** An interlaced file, decoded whole: each pass's pixels placed where they belong. */
async function decodeInterlaced(bytes: Uint8Array, info: ImageInfo): Promise<Frame> {
  const frame = createFrame(info.width, info.height, info.hasAlpha);
  const pixels = new Uint32Array(frame.data.buffer, frame.data.byteOffset, info.width * info.height);
  await run(bytes, info, (strip, { rows, y, yStep, x, xStep, width }) => {
    const from = new Uint32Array(strip.buffer, strip.byteOffset, rows * width);
    for (let i = 0; i < rows; i++) {
      const start = (y + i * yStep) * info.width + x;
      const row = from.subarray(i * width, (i + 1) * width);
      if (xStep === 1) pixels.set(row, start);
      else for (let k = 0, at = start; k < width; k++, at += xStep) pixels[at] = row[k]!;
    }
  });
  if (frame.hasAlpha) frame.hasAlpha = anyTransparent(frame.data);
  return frame;
}

export const libspngDecoder: Decoder = {
  format: 'png',
  open(bytes, info) {
    const header = readPngHeader(bytes);
    if (header.interlaced) return undefined;
    checkBudget(header);
    return rowSource(bytes, info);
  },
  async decode(bytes, info) {
    const header = readPngHeader(bytes);
    checkBudget(header);
    return header.interlaced ? decodeInterlaced(bytes, info) : materialize(rowSource(bytes, info));
  },
};
