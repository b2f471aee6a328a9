/**
 * What decoding an original will hold, estimated from its header before anything is decoded. Decoders that hold
 * the whole image (AVIF, WebP) keep it and their working buffers in WASM, and hand a frame of it to JS; streaming
 * decoders (JPEG, PNG) hold rows only and are bounded where they stream. The per-pixel costs were measured with
 * `npm run bench:memory` and rounded up, so the estimate errs towards refusing.
 */
import { webpDecodeSize } from './libwebp';
import type { DecodeHint, ImageInfo } from './types';

/** What one request's decode may take of the isolate's 128 MB: the rest is the Worker and other requests. */
export const DECODE_BUDGET_BYTES = 96e6;

/** The RGBA frame a whole-image decode hands to JS. */
const FRAME_BYTES_PER_PIXEL = 4;

interface WholeImageCost {
  wasmBytesPerPixel: number;
  fixedBytes: number;
}

function costOf(info: ImageInfo): WholeImageCost | null {
  switch (info.format) {
    // libavif + dav1d: the AV1 planes, libavif's RGB conversion and the RGBA output, all in the module's heap.
    case 'avif':
      return info.bitDepth > 8 ? { wasmBytesPerPixel: 36, fixedBytes: 10e6 } : { wasmBytesPerPixel: 26, fixedBytes: 10e6 };
    // libwebp: the lossless figure (a lossy decode takes about half), at the scale the decoder will use.
    case 'webp':
      return { wasmBytesPerPixel: 9.5, fixedBytes: 2e6 };
    default:
      return null;
  }
}

/** The pixels the decoder will produce for `hint` (WebP scales while decoding; AVIF cannot). */
function decodedPixels(info: ImageInfo, hint: DecodeHint): number {
  const size = info.format === 'webp' ? webpDecodeSize(info.width, info.height, hint) : info;
  return size.width * size.height;
}

/** Estimated bytes the decode will hold at its peak, or null for a streaming decoder. */
export function decodePeakBytes(info: ImageInfo, hint: DecodeHint): number | null {
  const cost = costOf(info);
  if (!cost) return null;
  return cost.fixedBytes + decodedPixels(info, hint) * (cost.wasmBytesPerPixel + FRAME_BYTES_PER_PIXEL);
}
