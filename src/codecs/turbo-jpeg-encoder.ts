/**
 * JPEG encoder over our libjpeg-turbo module (wasm/jpeg/encode.c): rows go in a strip at a time and the file
 * comes out as it is made, so a resize's output can be encoded as it is produced (encodeRows) and a frame is
 * encoded from its own memory in strips, never copied into the module whole.
 *
 * What it writes is what sharp writes by default (libvips over libjpeg-turbo): YCbCr 4:2:0, the accurate
 * integer DCT, the standard quantization tables scaled by the quality, optimal Huffman tables, baseline unless
 * `pr-true` asks for progressive. For the same pixels and quality the files are the same size. Optimal tables
 * and progressive files make libjpeg hold every DCT coefficient of the image until the end (3 bytes per pixel
 * at 4:2:0), so large outputs are written with the standard Huffman tables instead (about 5–10 % more bytes,
 * and a 24 MP baseline file then needs under 10 MB of WASM), and progressive output is refused above its budget.
 */
import type { Frame } from '../image/frame';
import { type FrameSource, rowsOf } from '../image/frame-source';
import { CodecError, codecCall } from './errors';
import type { EncodeOptions, Encoder } from './types';
import { withInstance } from './wasm/instances';
import { copyInOptional, encodeRowsWith, SCRATCH_INTS } from './wasm/row-encoder';
import { instantiateStandalone, type StandaloneExports, type StandaloneModule } from './wasm/standalone';

interface JpegEncoderExports extends StandaloneExports {
  jpeg_encode_error(): number;
  jpeg_encode_begin(width: number, height: number, options: number, info: number): number;
  jpeg_encode_rows(encode: number, count: number): number;
  jpeg_encode_take(encode: number, where: number): number;
  jpeg_encode_end(encode: number): void;
}

/** Bytes of libjpeg's whole-image coefficient buffer at 4:2:0: 128 bytes per 8×8 block, luma in 16×16 MCUs. */
export function jpegCoefficientBytes(width: number, height: number): number {
  const mcus = Math.ceil(width / 16) * Math.ceil(height / 16);
  return mcus * 6 * 128;
}

/**
 * Optimal Huffman tables up to this coefficient buffer (about 4 MP, 2560×1600): it stays in the encoder's
 * memory for the isolate's life (WASM memory never shrinks).
 */
export const JPEG_OPTIMIZE_BUDGET_BYTES = 12e6;
/**
 * Progressive output up to this coefficient buffer (about 12 MP, the limit src/codecs/output-limits.ts sets
 * before any decoding; this is the encoder's own guard).
 */
export const JPEG_PROGRESSIVE_BUDGET_BYTES = 40e6;
/** libjpeg's tables and row buffers, on top of the coefficient buffer. */
const WORKING_BYTES = 2e6;

/** The module's options array (encode.c, OPT_*). */
const OPTIONS = 9;

const boot = async () => instantiateStandalone<JpegEncoderExports>('edgepixJpegEnc');

async function encodeWith(module: StandaloneModule<JpegEncoderExports>, source: FrameSource, opts: EncodeOptions) {
  const x = module.exports;
  const coefficients = jpegCoefficientBytes(source.width, source.height);
  if (opts.progressive && coefficients > JPEG_PROGRESSIVE_BUDGET_BYTES) {
    const mb = (bytes: number) => `${Math.ceil(bytes / 1e6)} MB`;
    throw new CodecError(
      'jpeg encoder',
      `a progressive ${source.width}×${source.height} JPEG needs about ${mb(coefficients)} of memory, over the ` +
        `${mb(JPEG_PROGRESSIVE_BUDGET_BYTES)} it may use (baseline output has no such limit)`,
    );
  }
  const optimize = coefficients <= JPEG_OPTIMIZE_BUDGET_BYTES;
  const exif = exifSegment(opts.metadata?.exif);
  const icc = copyInOptional(module, opts.metadata?.icc);
  const app1 = copyInOptional(module, exif);
  const scratch = x.malloc(4 * (OPTIONS + SCRATCH_INTS));
  try {
    if (!scratch) throw new CodecError('jpeg encoder', 'out of memory');
    const options = [
      Math.round(Math.min(100, Math.max(1, opts.quality))),
      opts.progressive ? 1 : 0,
      optimize ? 1 : 0,
      source.hasAlpha ? 1 : 0,
      opts.progressive || optimize ? coefficients + WORKING_BYTES : 0,
      ...icc,
      ...app1,
    ];
    new Int32Array(x.memory.buffer, scratch, OPTIONS).set(options);
    const info = scratch + 4 * OPTIONS;
    return await encodeRowsWith('jpeg encoder', module, source, info, {
      begin: (at) => x.jpeg_encode_begin(source.width, source.height, scratch, at),
      rows: (handle, count) => x.jpeg_encode_rows(handle, count),
      take: (handle, where) => x.jpeg_encode_take(handle, where),
      end: (handle) => x.jpeg_encode_end(handle),
      error: () => module.string(x.jpeg_encode_error()),
      pixelBytes: 4,
    });
  } finally {
    if (scratch) x.free(scratch);
    if (icc[0]) x.free(icc[0]);
    if (app1[0]) x.free(app1[0]);
  }
}

const EXIF_HEADER = [0x45, 0x78, 0x69, 0x66, 0, 0]; // "Exif\0\0"

/** The APP1 payload for `exif`: "Exif\0\0" and the TIFF block (added when the block comes without it). */
export function exifSegment(exif: Uint8Array | undefined): Uint8Array | undefined {
  if (!exif || exif.byteLength === 0) return undefined;
  if (EXIF_HEADER.every((b, i) => exif[i] === b)) return exif;
  const out = new Uint8Array(EXIF_HEADER.length + exif.byteLength);
  out.set(EXIF_HEADER);
  out.set(exif, EXIF_HEADER.length);
  return out;
}

export const turboJpegEncoder: Encoder & Required<Pick<Encoder, 'encodeRows'>> = {
  format: 'jpeg',
  mimeType: 'image/jpeg',
  encodeRows(source, opts) {
    return codecCall('jpeg encoder', () =>
      withInstance('edgepixJpegEnc', boot, (module) => encodeWith(module, source, opts)),
    );
  },
  encode(frame: Frame, opts: EncodeOptions) {
    return this.encodeRows(rowsOf(frame), opts);
  },
};
