/**
 * PNG encoder over our libspng module (wasm/png/encode.c): rows go in a strip at a time and the file comes out
 * as it is made, so a resize's output is encoded as it is produced (encodeRows) and a frame is encoded from
 * its own memory, never copied into the module whole.
 *
 * - Opaque images are written as RGB (colour type 2), not RGBA.
 * - A frame with at most 256 distinct RGBA values becomes a palette PNG (colour type 3, with tRNS for
 *   translucent entries): lossless, and smaller. Rows that stream from a resize are never checked (a resized
 *   image rarely has so few colours, and knowing would mean holding it).
 * - Filters and zlib settings: see PNG_DEFLATE.
 */
import type { Frame } from '../image/frame';
import { type FrameSource, rowsOf } from '../image/frame-source';
import { CodecError, codecCall } from './errors';
import { findPalette, type Palette, toIndices } from './palette';
import type { EncodeOptions, Encoder } from './types';
import { withInstance } from './wasm/instances';
import { copyInOptional, encodeRowsWith, SCRATCH_INTS } from './wasm/row-encoder';
import { instantiateStandalone, type StandaloneExports, type StandaloneModule } from './wasm/standalone';

interface PngEncoderExports extends StandaloneExports {
  png_encode_error(): number;
  png_encode_begin(width: number, height: number, options: number, info: number): number;
  png_encode_rows(encode: number, count: number): number;
  png_encode_take(encode: number, where: number): number;
  png_encode_end(encode: number): void;
}

/** libspng's SPNG_FILTER_CHOICE flags. */
export const FILTERS = { none: 8, sub: 16, up: 32, avg: 64, paeth: 128, all: 248 } as const;
/** zlib's strategies. */
export const STRATEGIES = { default: 0, filtered: 1, huffman: 2, rle: 3 } as const;

export interface DeflateSettings {
  level: number;
  strategy: keyof typeof STRATEGIES;
  filters: keyof typeof FILTERS;
}

/**
 * Paeth-filtered rows, deflated with zlib's run-length strategy. Measured on the benchmark's photos resized to
 * 800 wide, against sharp's default PNG (zlib level 6, no filtering): 0.68–0.69× its bytes at 0.9× its CPU.
 * Paeth at level 6 with the default strategy is 3 % smaller still but takes 5× sharp's CPU; unfiltered rows
 * (sharp's choice) compress to 0.94–1.1× its bytes at any level. Every setting is lossless.
 */
export const PNG_DEFLATE: DeflateSettings = { level: 6, strategy: 'rle', filters: 'paeth' };
/** Palette images: filtering index bytes only hurts (the PNG specification's advice). */
const PALETTE_DEFLATE: DeflateSettings = { level: 6, strategy: 'default', filters: 'none' };

const COLOUR = { rgb: 2, palette: 3, rgba: 6 } as const;
/** The module's options array (encode.c, OPT_*). */
const OPTIONS = 10;

/** The decoder's instance imports png_input; an encoder instance never reads a file. */
const boot = async () => instantiateStandalone<PngEncoderExports>('edgepixPngEnc', { png_input: () => 0 });

async function encodeWith(
  module: StandaloneModule<PngEncoderExports>,
  source: FrameSource,
  opts: EncodeOptions,
  palette: Palette | undefined,
  deflate: DeflateSettings,
): Promise<Uint8Array> {
  const x = module.exports;
  const colour = palette ? COLOUR.palette : source.hasAlpha ? COLOUR.rgba : COLOUR.rgb;
  const entries = copyInOptional(module, palette?.entries);
  const icc = copyInOptional(module, opts.metadata?.icc);
  const exif = copyInOptional(module, tiffBlock(opts.metadata?.exif));
  const scratch = x.malloc(4 * (OPTIONS + SCRATCH_INTS));
  try {
    if (!scratch) throw new CodecError('png encoder', 'out of memory');
    const options = [
      colour,
      deflate.level,
      STRATEGIES[deflate.strategy],
      FILTERS[deflate.filters],
      entries[0],
      palette?.size ?? 0,
      ...icc,
      ...exif,
    ];
    new Int32Array(x.memory.buffer, scratch, OPTIONS).set(options);
    return await encodeRowsWith('png encoder', module, source, scratch + 4 * OPTIONS, {
      begin: (at) => x.png_encode_begin(source.width, source.height, scratch, at),
      rows: (handle, count) => x.png_encode_rows(handle, count),
      take: (handle, where) => x.png_encode_take(handle, where),
      end: (handle) => x.png_encode_end(handle),
      error: () => module.string(x.png_encode_error()),
      pixelBytes: palette ? 1 : 4,
      put: palette ? (rgba, into) => toIndices(palette, rgba, into) : undefined,
    });
  } finally {
    if (scratch) x.free(scratch);
    for (const [pointer] of [entries, icc, exif]) if (pointer) x.free(pointer);
  }
}

/** PNG's eXIf holds the TIFF block alone: JPEG's "Exif\0\0" in front of it is dropped. */
export function tiffBlock(exif: Uint8Array | undefined): Uint8Array | undefined {
  if (exif && exif.byteLength > 6 && exif[0] === 0x45 && exif[1] === 0x78 && exif[4] === 0 && exif[5] === 0) {
    return exif.subarray(6);
  }
  return exif;
}

/** Encodes `source` (a palette frame when `palette` is given) with `deflate`: the benchmark tries settings here. */
export function encodePng(
  source: FrameSource,
  opts: EncodeOptions,
  palette?: Palette,
  deflate: DeflateSettings = palette ? PALETTE_DEFLATE : PNG_DEFLATE,
): Promise<Uint8Array> {
  return codecCall('png encoder', () =>
    withInstance('edgepixPngEnc', boot, (module) => encodeWith(module, source, opts, palette, deflate)),
  );
}

export const libspngEncoder: Encoder & Required<Pick<Encoder, 'encodeRows'>> = {
  format: 'png',
  mimeType: 'image/png',
  encodeRows: (source, opts) => encodePng(source, opts),
  encode: (frame: Frame, opts) => encodePng(rowsOf(frame), opts, findPalette(frame)),
};
