import './wasm/image-data';
import { avifEncoder } from './avif';
import { apngAnimationDecoder } from './animation/apng';
import { gifAnimationDecoder } from './animation/gif';
import { gifAnimationEncoder, gifEncoder } from './animation/gif-writer';
import type { AnimationDecoder, AnimationEncoder } from './animation/types';
import { webpAnimationDecoder, webpAnimationEncoder } from './animation/webp';
import { dav1dDecoder } from './dav1d';
import { gifDecoder } from './gif';
import { libde265Decoder } from './libde265';
import { writingMetadata } from './embed';
import { avifWithMetadata } from './embed/avif';
import { webpWithMetadata } from './embed/webp';
import { libspngDecoder } from './libspng';
import { svgDecoder } from './svg';
import { libspngEncoder } from './libspng-encoder';
import { libwebpDecoder, libwebpEncoder } from './libwebp';
import { turboJpegDecoder } from './turbo-jpeg';
import { turboJpegEncoder } from './turbo-jpeg-encoder';
import type { Decoder, Encoder, ImageFormat, OutputFormat } from './types';

/**
 * The adapter per format. Adapters instantiate their WASM on first use, so a request loads only what it needs.
 * JPEG, PNG and WebP are our own modules (wasm/), which encode JPEG and PNG from rows, and AVIF decodes with our dav1d
 * module, GIF with our own LZW reader (as a still, its first frame; animations frame by frame below), GIF is written with gifenc, SVG with resvg (rasterised at the size the steps need); the jsquash adapters in jpeg.ts, png.ts, webp.ts and avif.ts stay as the alternative and under the same
 * conformance suite. jsquash still encodes AVIF.
 */
const decoders: Partial<Record<ImageFormat, Decoder>> = {
  jpeg: turboJpegDecoder,
  png: libspngDecoder,
  webp: libwebpDecoder,
  avif: dav1dDecoder,
  heic: libde265Decoder,
  gif: gifDecoder,
  svg: svgDecoder,
};

const encoders: Record<OutputFormat, Encoder> = {
  // The row encoders write EncodeOptions.metadata themselves; WebP's and AVIF's containers get it added (embed/).
  jpeg: turboJpegEncoder,
  png: libspngEncoder,
  webp: writingMetadata(libwebpEncoder, webpWithMetadata),
  avif: writingMetadata(avifEncoder, avifWithMetadata),
  gif: gifEncoder,
};

/** Animations: read frame by frame (GIF, WebP, APNG), written frame by frame (src/codecs/animation/, src/transform/apply-animation.ts). */
const animationDecoders: Partial<Record<ImageFormat, AnimationDecoder>> = {
  gif: gifAnimationDecoder,
  png: apngAnimationDecoder,
  webp: webpAnimationDecoder,
};

const animationEncoders: Partial<Record<OutputFormat, AnimationEncoder>> = {
  gif: gifAnimationEncoder,
  webp: webpAnimationEncoder,
};

export function decoderFor(format: ImageFormat): Decoder | undefined {
  return decoders[format];
}

export function encoderFor(format: OutputFormat): Encoder {
  return encoders[format];
}

export function animationDecoderFor(format: ImageFormat): AnimationDecoder | undefined {
  return animationDecoders[format];
}

/** Undefined for formats that take an animation's first frame (JPEG, PNG, AVIF). */
export function animationEncoderFor(format: OutputFormat): AnimationEncoder | undefined {
  return animationEncoders[format];
}
