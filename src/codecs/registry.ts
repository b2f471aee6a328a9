import './wasm/image-data';
import { avifDecoder, avifEncoder } from './avif';
import { jpegDecoder, jpegEncoder } from './jpeg';
import { pngDecoder, pngEncoder } from './png';
import type { Decoder, Encoder, ImageFormat, OutputFormat } from './types';
import { webpDecoder, webpEncoder } from './webp';

/** The adapter per format. Adapters instantiate their WASM on first use, so a request loads only what it needs. */
const decoders: Partial<Record<ImageFormat, Decoder>> = {
  jpeg: jpegDecoder,
  png: pngDecoder,
  webp: webpDecoder,
  avif: avifDecoder,
};

const encoders: Record<OutputFormat, Encoder> = {
  jpeg: jpegEncoder,
  png: pngEncoder,
  webp: webpEncoder,
  avif: avifEncoder,
};

export function decoderFor(format: ImageFormat): Decoder | undefined {
  return decoders[format];
}

export function encoderFor(format: OutputFormat): Encoder {
  return encoders[format];
}
