import webpDec from '@jsquash/webp/codec/dec/webp_dec.js';
import webpEnc from '@jsquash/webp/codec/enc/webp_enc_simd.js';
import { codecCall } from './errors';
import { toFrame } from './frames';
import { copyOut } from './jpeg';
import type { Decoder, Encoder } from './types';
import { bootEmscripten } from './wasm/emscripten';
import type { ImageDataLike } from './wasm/image-data';
import { withInstance } from './wasm/instances';

interface LibwebpDecoder {
  decode(bytes: Uint8Array): ImageDataLike | null;
}
interface LibwebpEncoder {
  encode(data: Uint8ClampedArray, width: number, height: number, options: object): Uint8Array | null;
}

const bootDecoder = () => bootEmscripten<LibwebpDecoder>(webpDec, 'webpDec');
const bootEncoder = () => bootEmscripten<LibwebpEncoder>(webpEnc, 'webpEnc');

export const webpDecoder: Decoder = {
  format: 'webp',
  async decode(bytes, info) {
    const image = await codecCall('webp decoder', () =>
      withInstance('webpDec', bootDecoder, (codec) => codec.decode(bytes)),
    );
    return toFrame(image, info.hasAlpha);
  },
};

export const webpEncoder: Encoder = {
  format: 'webp',
  mimeType: 'image/webp',
  async encode(frame, opts) {
    const options = {
      ...LIBWEBP_DEFAULTS,
      quality: opts.lossless ? 100 : opts.quality,
      lossless: opts.lossless ? 1 : 0,
      // lossless means every pixel back exactly, including the RGB under fully transparent ones
      exact: opts.lossless ? 1 : 0,
    };
    return codecCall('webp encoder', () =>
      withInstance('webpEnc', bootEncoder, (codec) =>
        copyOut(codec.encode(frame.data, frame.width, frame.height, options)),
      ),
    );
  },
};

// struct WebPConfig defaults (method 4 is libwebp's own speed/size balance).
const LIBWEBP_DEFAULTS = {
  quality: 80,
  target_size: 0,
  target_PSNR: 0,
  method: 4,
  sns_strength: 50,
  filter_strength: 60,
  filter_sharpness: 0,
  filter_type: 1,
  partitions: 0,
  segments: 4,
  pass: 1,
  show_compressed: 0,
  preprocessing: 0,
  autofilter: 0,
  partition_limit: 0,
  alpha_compression: 1,
  alpha_filtering: 1,
  alpha_quality: 100,
  lossless: 0,
  exact: 0,
  image_hint: 0,
  emulate_jpeg_size: 0,
  thread_level: 0,
  low_memory: 0,
  near_lossless: 100,
  use_delta_palette: 0,
  use_sharp_yuv: 0,
};
