import type { Frame } from '../image/frame';
import type { FrameSource } from '../image/frame-source';
import { applyOrientation, orientRows } from '../image/orient';
import { frameInSrgb, sourceInSrgb, srgbSource } from './colour/to-srgb';
import { decoderFor } from './registry';
import type { DecodeHint, ImageInfo } from './types';

export interface OpenOptions {
  /** `cp-true`: an RGB ICC profile is kept for the output rather than applied (colour/to-srgb.ts). */
  keepIcc?: boolean;
}

/**
 * The original's pixels, upright and in sRGB, for the transformation steps: a row source when its decoder
 * streams this image and it is stored upright (EXIF orientation 1), so that a first resize reads the rows as
 * they are decoded (converted from the image's colour space on the way); a turned image from a streaming decoder
 * as a frame its rows are written into, turned, as they come (held once); otherwise the decoded frame, converted
 * and turned by its orientation.
 */
export async function openUpright(
  bytes: Uint8Array,
  info: ImageInfo,
  hint: DecodeHint,
  options: OpenOptions = {},
): Promise<Frame | FrameSource> {
  const decoder = decoderFor(info.format);
  if (!decoder) throw new TypeError(`no decoder for ${info.format}`);
  const colour = srgbSource(bytes, info, options.keepIcc);
  // A CMYK profile converts CMYK: the JPEG decoder then hands out its rows as they are.
  const decodeHint = colour && 'icc' in colour && colour.rows === 'cmyk' ? { ...hint, keepCmyk: true } : hint;
  const source = decoder.open?.(bytes, info, decodeHint);
  if (source) {
    const converted = colour ? sourceInSrgb(source, colour) : source;
    return info.orientation === 1 ? converted : orientRows(converted, info.orientation);
  }
  const frame = await decoder.decode(bytes, info, decodeHint);
  return applyOrientation(colour ? await frameInSrgb(frame, colour) : frame, info.orientation);
}
