import avifDec from '@jsquash/avif/codec/dec/avif_dec.js';
import avifEnc from '@jsquash/avif/codec/enc/avif_enc.js';
import { codecCall } from './errors';
import { toFrame } from './frames';
import { copyOut } from './jpeg';
import type { Decoder, Encoder } from './types';
import { bootEmscripten } from './wasm/emscripten';
import type { ImageDataLike } from './wasm/image-data';
import { withInstance } from './wasm/instances';

interface LibavifDecoder {
  decode(bytes: Uint8Array, bitDepth: number): ImageDataLike | null;
}
interface LibavifEncoder {
  encode(data: Uint8Array, width: number, height: number, options: object): Uint8Array | null;
}

const bootDecoder = () => bootEmscripten<LibavifDecoder>(avifDec, 'avifDec');
const bootEncoder = () => bootEmscripten<LibavifEncoder>(avifEnc, 'avifEnc');

export const avifDecoder: Decoder = {
  format: 'avif',
  async decode(bytes, info) {
    const image = await codecCall('avif decoder', () =>
      withInstance('avifDec', bootDecoder, (codec) => codec.decode(bytes, 8)),
    );
    return toFrame(image, info.hasAlpha);
  },
};

/**
 * AVIF quality: libavif's 0–100 scale runs much "higher" than JPEG's at the same visual quality; ImageKit's
 * q-80 default maps to about 60 here, which gives files clearly smaller than WebP at similar SSIM.
 */
export function avifQuality(q: number): number {
  return Math.max(1, Math.min(100, Math.round(q * 0.75)));
}

export const avifEncoder: Encoder = {
  format: 'avif',
  mimeType: 'image/avif',
  async encode(frame, opts) {
    const options = {
      quality: opts.lossless ? 100 : avifQuality(opts.quality),
      qualityAlpha: -1,
      denoiseLevel: 0,
      tileColsLog2: 0,
      tileRowsLog2: 0,
      // Chosen by measurement on 800-px photos against sharp's default AVIF (q50, 4:4:4, effort 4; bench/README.md):
      // speed 7 takes ~0.2× its CPU for 1.07× its bytes at equal SSIM; speed 8 saves another third of the CPU
      // but sits at 1.095×, speed 9 (= 10 here) at 1.16×, speed 6 doubles the CPU for 1.00×. 4:4:4 costs 10–30 %
      // more bytes at equal (luma) SSIM and more CPU.
      speed: 7,
      subsample: opts.lossless ? 3 : 1,
      chromaDeltaQ: false,
      sharpness: 0,
      tune: 0,
      enableSharpYUV: false,
      bitDepth: 8,
      lossless: opts.lossless,
    };
    const pixels = new Uint8Array(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
    return codecCall('avif encoder', () =>
      withInstance('avifEnc', bootEncoder, (codec) =>
        copyOut(codec.encode(pixels, frame.width, frame.height, options)),
      ),
    );
  },
};
