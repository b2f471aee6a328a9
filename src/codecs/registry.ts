import './wasm/image-data';
import { avifEncoder } from './avif';
import { dav1dDecoder } from './dav1d';
import { jpegEncoder } from './jpeg';
import { libspngDecoder } from './libspng';
import { libwebpDecoder, libwebpEncoder } from './libwebp';
import { pngEncoder } from './png';
import { turboJpegDecoder } from './turbo-jpeg';
import type { Decoder, Encoder, ImageFormat, OutputFormat } from './types';

/**
 * The adapter per format. Adapters instantiate their WASM on first use, so a request loads only what it needs.
 * JPEG, PNG and AVIF decoding and WebP are our own modules (wasm/); the jsquash adapters in jpeg.ts, png.ts,
 * webp.ts and avif.ts stay as the alternative and under the same conformance suite. mozjpeg still encodes JPEG,
 * jsquash PNG and AVIF.
 */
const decoders: Partial<Record<ImageFormat, Decoder>> = {
  jpeg: turboJpegDecoder,
  png: libspngDecoder,
  webp: libwebpDecoder,
  avif: dav1dDecoder,
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
