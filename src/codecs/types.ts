import type { Frame } from '../image/frame';
import type { FrameSource } from '../image/frame-source';

/**
 * Formats edgepix can read. HEIC and SVG are input only: no output format or f-auto choice ever writes them (an
 * untransformed SVG is served as stored; a transformed one is rasterised).
 */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'heic' | 'svg';
/** Formats edgepix can encode (GIF and WebP also as animations, src/codecs/animation/). */
export type OutputFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif';

/** What a header probe learns without decoding pixels. */
export interface ImageInfo {
  format: ImageFormat;
  /** Stored dimensions, before EXIF orientation is applied. */
  width: number;
  height: number;
  /** EXIF orientation 1–8 (1 when absent). 5–8 swap width and height once applied. */
  orientation: number;
  /** True when the format or header says the image may carry transparency. */
  hasAlpha: boolean;
  /** Number of frames (animation); 1 for still images. */
  frames: number;
  /** JPEG only: progressive (multi-scan) coding. */
  progressive?: boolean;
  /** Bits per channel as stored (8 for most images; 12 or 16 happen). */
  bitDepth: number;
  /** The colour space the file declares, when it declares one (src/codecs/probe/colour.ts). */
  colour?: ColourInfo;
}

/**
 * An image's declared colour space: an ICC profile (JPEG APP2, PNG iCCP, WebP ICCP, AVIF/HEIF colr 'prof'), or
 * ITU-T H.273 code points (AVIF/HEIF colr 'nclx'; a PNG sRGB chunk is primaries 1, transfer 13).
 */
export interface ColourInfo {
  icc?: Uint8Array;
  primaries?: number;
  transfer?: number;
  matrix?: number;
  fullRange?: boolean;
}

export interface DecodeHint {
  /**
   * The smallest dimensions the pipeline needs, as stored (before EXIF orientation); a codec may decode at a
   * reduced scale down to these, by one of the whole factors in DECODE_REDUCTIONS.
   */
  minWidth?: number;
  minHeight?: number;
  /**
   * Only the pixel count matters (a perceptual hash averages the pixels down itself): the decoder may reduce
   * right down to the minimum. Otherwise the pixels are resampled to the output next, and a decoder whose
   * reduction is a box filter (JPEG's DCT scaling) leaves the resizer room (turbo-jpeg.ts, chooseJpegScale).
   */
  fewestPixels?: boolean;
  /** A CMYK JPEG's rows come out as CMYK ink amounts, for its colour profile to convert (colour/to-srgb.ts). */
  keepCmyk?: boolean;
}

/**
 * The reductions a decoder may apply: it delivers ceil(w/k) × ceil(h/k) for one of these k, or the full size.
 * JPEG's DCT scaling uses 2, 4 and 8; WebP's scaled decode uses them all.
 */
export const DECODE_REDUCTIONS = [2, 4, 8, 16, 32] as const;

export interface EncodeOptions {
  quality: number;
  lossless: boolean;
  progressive: boolean;
  /**
   * Metadata to write into the file, for encoders that can: `icc` an ICC profile (JPEG APP2 ICC_PROFILE,
   * chunked; PNG iCCP), `exif` a TIFF block starting "II*\0" or "MM\0*", with or without JPEG's "Exif\0\0" in
   * front (JPEG APP1; PNG eXIf).
   */
  metadata?: { icc?: Uint8Array; exif?: Uint8Array };
}

export interface Decoder {
  format: ImageFormat;
  decode(bytes: Uint8Array, info: ImageInfo, hint: DecodeHint): Promise<Frame>;
  /**
   * Streaming decoders only: the image as it will decode, its rows produced when read; undefined for an image
   * whose rows cannot come out in order (an interlaced PNG), which is then decoded whole. Checks what the
   * header can tell at once (throws a CodecError); errors in the data surface from read().
   */
  open?(bytes: Uint8Array, info: ImageInfo, hint: DecodeHint): FrameSource | undefined;
}

export interface Encoder {
  format: OutputFormat;
  mimeType: string;
  encode(frame: Frame, opts: EncodeOptions): Promise<Uint8Array>;
  /**
   * Row encoders only: encodes the rows of `source` as they are read (a resize's output, row by row), so the
   * output image is never held whole. `source.hasAlpha` must be decided before the first row.
   */
  encodeRows?(source: FrameSource, opts: EncodeOptions): Promise<Uint8Array>;
}

export const MIME_TYPES: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
  heic: 'image/heic',
  svg: 'image/svg+xml',
};
