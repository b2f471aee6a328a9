import './wasm/image-data';
import { avifDecoder, avifEncoder } from './avif';
import { jpegEncoder } from './jpeg';
import { libde265Decoder } from './libde265';
import { libspngDecoder } from './libspng';
import { libwebpDecoder, libwebpEncoder } from './libwebp';
import { pngEncoder } from './png';
import { turboJpegDecoder } from './turbo-jpeg';
import type { Decoder, Encoder, ImageFormat, OutputFormat } from './types';

/**
 * The adapter per format. Adapters instantiate their WASM on first use, so a request loads only what it needs.
 * JPEG and PNG decoding and WebP are our own modules (wasm/); the jsquash adapters in jpeg.ts, png.ts and
 * webp.ts stay as the alternative and under the same conformance suite. mozjpeg still encodes JPEG, jsquash PNG.
 */
const decoders: Partial<Record<ImageFormat, Decoder>> = {
  jpeg: turboJpegDecoder,
  png: libspngDecoder,
  webp: libwebpDecoder,
  avif: avifDecoder,
  heic: libde265Decoder,
};

const encoders: Record<OutputFormat, Encoder> = {
  jpeg: jpegEncoder,
  png: pngEncoder,
  webp: libwebpEncoder,
  avif: avifEncoder,
};

export function decoderFor(format: ImageFormat): Decoder | undefined {
  return decoders[format];
}

export function encoderFor(format: OutputFormat): Encoder {
  return encoders[format];
}
