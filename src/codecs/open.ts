import type { Frame } from '../image/frame';
import type { FrameSource } from '../image/frame-source';
import { applyOrientation } from '../image/orient';
import { decoderFor } from './registry';
import type { DecodeHint, ImageInfo } from './types';

/**
 * The original's pixels, upright, for the transformation steps: a row source when its decoder streams this
 * image and it is stored upright (EXIF orientation 1), so that a first resize reads the rows as they are
 * decoded; otherwise the decoded frame, turned by its orientation.
 */
export async function openUpright(bytes: Uint8Array, info: ImageInfo, hint: DecodeHint): Promise<Frame | FrameSource> {
  const decoder = decoderFor(info.format);
  if (!decoder) throw new TypeError(`no decoder for ${info.format}`);
  const source = info.orientation === 1 ? decoder.open?.(bytes, info, hint) : undefined;
  if (source) return source;
  return applyOrientation(await decoder.decode(bytes, info, hint), info.orientation);
}
