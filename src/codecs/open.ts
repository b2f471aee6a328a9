import type { Frame } from '../image/frame';
import type { FrameSource } from '../image/frame-source';
import { applyOrientation, orientRows } from '../image/orient';
import { decoderFor } from './registry';
import type { DecodeHint, ImageInfo } from './types';

/**
 * The original's pixels, upright, for the transformation steps: a row source when its decoder streams this
 * image and it is stored upright (EXIF orientation 1), so that a first resize reads the rows as they are
 * decoded; a turned image from a streaming decoder as a frame its rows are written into, turned, as they come
 * (held once); otherwise the decoded frame, turned by its orientation.
 */
export async function openUpright(bytes: Uint8Array, info: ImageInfo, hint: DecodeHint): Promise<Frame | FrameSource> {
  const decoder = decoderFor(info.format);
  if (!decoder) throw new TypeError(`no decoder for ${info.format}`);
  const source = decoder.open?.(bytes, info, hint);
  if (source) return info.orientation === 1 ? source : orientRows(source, info.orientation);
  return applyOrientation(await decoder.decode(bytes, info, hint), info.orientation);
}
