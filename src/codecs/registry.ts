import './wasm/image-data';
import { avifDecoder, avifEncoder } from './avif';
import { libde265Decoder } from './libde265';
import { writingMetadata } from './embed';
import { avifWithMetadata } from './embed/avif';
import { webpWithMetadata } from './embed/webp';
import { libspngDecoder } from './libspng';
import { libspngEncoder } from './libspng-encoder';
import { libwebpDecoder, libwebpEncoder } from './libwebp';
import { turboJpegDecoder } from './turbo-jpeg';
import { turboJpegEncoder } from './turbo-jpeg-encoder';
import type { Decoder, Encoder, ImageFormat, OutputFormat } from './types';

/**
 * The adapter per format. Adapters instantiate their WASM on first use, so a request loads only what it needs.
 * JPEG, PNG and WebP are our own modules (wasm/), which encode JPEG and PNG from rows; the jsquash adapters in
 * jpeg.ts, png.ts and webp.ts stay as the alternative and under the same conformance suite.
 */
const decoders: Partial<Record<ImageFormat, Decoder>> = {
  jpeg: turboJpegDecoder,
  png: libspngDecoder,
  webp: libwebpDecoder,
  avif: avifDecoder,
  heic: libde265Decoder,
};

const encoders: Record<OutputFormat, Encoder> = {
  // The row encoders write EncodeOptions.metadata themselves; WebP's and AVIF's containers get it added (embed/).
  jpeg: turboJpegEncoder,
  png: libspngEncoder,
  webp: writingMetadata(libwebpEncoder, webpWithMetadata),
  avif: writingMetadata(avifEncoder, avifWithMetadata),
};

export function decoderFor(format: ImageFormat): Decoder | undefined {
  return decoders[format];
}

export function encoderFor(format: OutputFormat): Encoder {
  return encoders[format];
}
