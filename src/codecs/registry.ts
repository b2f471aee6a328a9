import './wasm/image-data';
import { avifDecoder, avifEncoder } from './avif';
import { writingMetadata } from './embed';
import { avifWithMetadata } from './embed/avif';
import { jpegWithMetadata, pngWithMetadata } from './embed/jpeg-png';
import { webpWithMetadata } from './embed/webp';
import { jpegEncoder } from './jpeg';
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
};

/** None of today's encoders writes EncodeOptions.metadata itself: each container's writer adds it (embed/). */
const encoders: Record<OutputFormat, Encoder> = {
  jpeg: writingMetadata(jpegEncoder, jpegWithMetadata),
  png: writingMetadata(pngEncoder, pngWithMetadata),
  webp: writingMetadata(libwebpEncoder, webpWithMetadata),
  avif: writingMetadata(avifEncoder, avifWithMetadata),
};

export function decoderFor(format: ImageFormat): Decoder | undefined {
  return decoders[format];
}

export function encoderFor(format: OutputFormat): Encoder {
  return encoders[format];
}
