// EXIF orientation from a TIFF structure, shared by the JPEG APP1, PNG eXIf and WebP EXIF readers.
import { readOr } from './errors';
import { startsWith } from './bytes';
import { tiffIfd0 } from './containers';

export const TAG_ORIENTATION = 0x0112;
const TYPE_SHORT = 3;
const TYPE_LONG = 4;
/** "Exif\0\0": the prefix JPEG APP1 always has and WebP/PNG payloads sometimes carry. */
export const EXIF_PREFIX = [0x45, 0x78, 0x69, 0x66, 0, 0] as const;

/**
 * Orientation 1–8 from IFD0 of the TIFF block at bytes[start, end) ('II' little- or 'MM' big-endian; offsets are
 * relative to `start`). A leading "Exif\0\0" is skipped.
 *
 * Returns 1 when the tag is missing or out of range *and* when the block is malformed: EXIF is metadata inside an
 * otherwise complete container segment, and libvips/browsers ignore a broken one rather than refuse the image.
 */
export function readTiffOrientation(bytes: Uint8Array, start: number, end: number): number {
  if (startsWith(bytes, EXIF_PREFIX, start)) start += EXIF_PREFIX.length;
  return readOr(() => orientationOrThrow(bytes, start, Math.min(end, bytes.length)), 1);
}

function orientationOrThrow(b: Uint8Array, start: number, end: number): number {
  const ifd = tiffIfd0(b, start, end);
  if (!ifd) return 1;
  for (const { tag, type, value } of ifd.entries) {
    if (tag !== TAG_ORIENTATION) continue;
    // A single SHORT sits left-justified in the value field; a few writers use LONG.
    const orientation = type === TYPE_SHORT ? ifd.u16(value) : type === TYPE_LONG ? ifd.u32(value) : 0;
    return orientation >= 1 && orientation <= 8 ? orientation : 1;
  }
  return 1;
}
