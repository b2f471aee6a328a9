/**
 * What decoding an original will hold, estimated from its header before anything is decoded. Decoders that hold
 * the whole image (WebP) keep it and their working buffers in WASM, and hand a frame of it to JS; AVIF's holds
 * the YUV planes (of one row of tiles, for a grid) and streams RGBA rows; streaming decoders (JPEG, PNG) hold
 * rows only and are bounded where they stream. GIF decodes in JS (gif.ts), counted the same way. The per-pixel costs were measured with
 * `npm run bench:memory` and rounded up, so the estimate errs towards refusing.
 */
import { avifDecodeMemory } from './dav1d';
import { heicDecodeCost } from './libde265';
import { webpDecodeSize } from './libwebp';
import { svgBytesPerPixel, svgRasterSize } from './probe/svg';
import type { DecodeHint, ImageInfo } from './types';

/**
 * What one whole-image decode may take of the isolate's 128 MB, leaving 16 MB for the Worker's own code and
 * state. A 12 MP lossy WebP shown small (decoded at half scale: 27 MB measured) fits; a 24 MP lossless one does not.
 */
export const DECODE_BUDGET_BYTES = 112e6;

/**
 * What drawing an SVG may take: less than other decodes, because resvg's memory cannot be given back (its glue
 * keeps one instance per isolate), so whatever it grows to stays for the isolate's life.
 */
export const SVG_DECODE_BUDGET_BYTES = 64e6;

/** The budget of one decode of `format`. */
export const decodeBudgetFor = (format: ImageInfo['format']): number => (format === 'svg' ? SVG_DECODE_BUDGET_BYTES : DECODE_BUDGET_BYTES);

/** What a row decoder (JPEG, PNG) and the resizer it streams into hold, measured at 6–8 MB whatever the size. */
export const ROW_DECODE_BYTES = 8e6;

/** The RGBA frame a whole-image decode hands to JS. */
const FRAME_BYTES_PER_PIXEL = 4;

interface WholeImageCost {
  /** WASM bytes per pixel the decoder produces, at the scale it decodes at. */
  wasmBytesPerPixel: number;
  /**
   * WASM bytes per pixel of the stored image, whatever the scale: lossless WebP decodes every pixel into a
   * whole-image ARGB buffer before scaling (128 MB measured for a 24 MP file shown at 800 px).
   */
  storedBytesPerPixel?: number;
  fixedBytes: number;
}

function costOf(info: ImageInfo, bytes: Uint8Array): WholeImageCost | null {
  switch (info.format) {
    // libwebp: a simple lossy file scales while it decodes; anything else (lossless, extended) is costed as
    // lossless, whose whole image is decoded before it is scaled.
    case 'webp':
      return isSimpleLossyWebp(bytes)
        ? { wasmBytesPerPixel: 4.5, fixedBytes: 2e6 }
        : { wasmBytesPerPixel: 4, storedBytesPerPixel: 5.5, fixedBytes: 2e6 };
    // libde265: an upright grid streams a row of tiles at a time; a turned one or a single image is held whole.
    case 'heic':
      return heicDecodeCost(info, bytes);
    // gif.ts, first frame only: the frame's LZW data joined (under the file's size, counted twice), its index stream (1 byte a pixel) and its RGBA rows
    // (4), placed on the canvas when it is offset or interlaced (the frame is counted at canvas size).
    case 'gif':
      return { wasmBytesPerPixel: 5, fixedBytes: 2 * bytes.byteLength };
    // resvg: its parsed tree (a few times the text) and its canvas and layers at the raster size
    // (src/codecs/probe/svg.ts); the pixels come out as a JS copy, which is the frame.
    case 'svg':
      return { wasmBytesPerPixel: svgBytesPerPixel(bytes) - FRAME_BYTES_PER_PIXEL, fixedBytes: 8 * bytes.byteLength + 4e6 };
    default:
      return null;
  }
}

/** RIFF…WEBP whose first chunk is 'VP8 ' (the probe has checked the container already). */
const isSimpleLossyWebp = (bytes: Uint8Array) => String.fromCharCode(...bytes.subarray(12, 16)) === 'VP8 ';

/** The pixels the decoder will produce for `hint` (WebP scales while decoding). */
function decodedPixels(info: ImageInfo, hint: DecodeHint): number {
  const size =
    info.format === 'webp' ? webpDecodeSize(info.width, info.height, hint) : info.format === 'svg' ? svgRasterSize(info, hint) : info;
  return size.width * size.height;
}

/**
 * Estimated bytes the decode of `bytes` (probed as `info`) will hold at its peak, the original's own bytes
 * included (they are held until the decode is done); null for a streaming decoder (JPEG, PNG: an interlaced PNG
 * is held whole but checked by its decoder, src/codecs/libspng.ts).
 */
export function decodePeakBytes(bytes: Uint8Array, info: ImageInfo, hint: DecodeHint): number | null {
  // dav1d's YUV planes and state, from the container (src/codecs/dav1d.ts); the rows stream, no frame.
  if (info.format === 'avif') return bytes.byteLength + avifDecodeMemory(bytes, info);
  const cost = costOf(info, bytes);
  if (!cost) return null;
  const stored = info.width * info.height * (cost.storedBytesPerPixel ?? 0);
  return bytes.byteLength + cost.fixedBytes + stored + decodedPixels(info, hint) * (cost.wasmBytesPerPixel + FRAME_BYTES_PER_PIXEL);
}

/**
 * What transforming an animation holds at its peak, frames being read, transformed and written one at a time:
 * the file (and the WebP decoder's copy of it), about six canvases on the reading side (the decoder's canvas and
 * the one disposal keeps, the frame being decoded, the copy handed out), about six output frames on the writing
 * side (the WebP encoder's two canvases and its candidate sub-frames, or GIF's palette index and file) and the
 * encoded file so far, taken as large as the original. Measured by test/workers/codecs/memory-animation.test.ts.
 */
export function animationPeakBytes(bytes: Uint8Array, info: ImageInfo, output: { width: number; height: number }): number {
  return 3 * bytes.byteLength + 6 * 4 * info.width * info.height + 6 * 4 * output.width * output.height;
}
