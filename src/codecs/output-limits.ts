/**
 * The largest output each encoder may make, in megapixels, so that making it (the encoder's WASM memory, the
 * frame it is given, the file) stays within the 96 MB one request may use of the isolate's 128 MB. Measured with
 * `npm run bench:memory` ("largest allowed output" rows), a 12 MP photo resized to the limit:
 *
 * - JPEG (baseline) and PNG take the resize's rows as they come (no output frame): 24 MP (5656×4242) is 4.5 MB
 *   of WASM, plus the file in JS (2.2 MB of JPEG, 22 MB of PNG, held twice while its pieces are joined).
 * - Progressive JPEG keeps every DCT coefficient until the end (3 bytes per pixel at 4:2:0) and may be given a
 *   frame (4 bytes per pixel): 12 MP took 41 MB of WASM and a 48 MB frame.
 * - WebP copies the frame into its module and works beside it: 8 MP took 61 MB of WASM and a 32 MB frame.
 * - AVIF (jsquash's libaom build) takes about 29 bytes per pixel of WASM: 2 MP took 74 MB and an 8 MB frame.
 * - GIF is made in JS (gifenc): the frame, its palette index (1 byte per pixel) and the file; 8 MP as for WebP.
 *
 * A tenant's `limits.maxOutputMegapixels` can lower these, never raise them.
 */
import type { OutputFormat } from './types';

export const OUTPUT_MEGAPIXELS: Record<OutputFormat | 'progressive jpeg', number> = {
  jpeg: 24,
  'progressive jpeg': 12,
  png: 24,
  webp: 8,
  avif: 2,
  gif: 8,
};

const NAMES: Record<keyof typeof OUTPUT_MEGAPIXELS, string> = {
  jpeg: 'JPEG',
  'progressive jpeg': 'progressive JPEG',
  png: 'PNG',
  webp: 'WebP',
  avif: 'AVIF',
  gif: 'GIF',
};

/** The limit for `format` (progressive JPEG has its own), and the name it goes by in messages. */
export function outputLimit(format: OutputFormat, progressive: boolean): { name: string; megapixels: number } {
  const key = format === 'jpeg' && progressive ? 'progressive jpeg' : format;
  return { name: NAMES[key], megapixels: OUTPUT_MEGAPIXELS[key] };
}
