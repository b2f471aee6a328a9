// EXIF orientation from a TIFF structure, shared by the JPEG APP1, PNG eXIf and WebP EXIF readers.
import { ProbeError } from './errors';
import { startsWith, u16be, u16le, u32be, u32le } from './bytes';

const TAG_ORIENTATION = 0x0112;
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
  try {
    return orientationOrThrow(bytes, start, Math.min(end, bytes.length));
  } catch (e) {
    if (e instanceof ProbeError) return 1;
    throw e;
  }
}

function orientationOrThrow(b: Uint8Array, start: number, end: number): number {
  const order = u16be(b, start, end);
  const le = order === 0x4949; // 'II'
  if (!le && order !== 0x4d4d) return 1; // not 'MM' either
  const u16 = (o: number) => (le ? u16le(b, o, end) : u16be(b, o, end));
  const u32 = (o: number) => (le ? u32le(b, o, end) : u32be(b, o, end));
  if (u16(start + 2) !== 42) return 1;

  const ifd = start + u32(start + 4);
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12; // tag u16, type u16, count u32, value/offset 4 bytes
    if (u16(entry) !== TAG_ORIENTATION) continue;
    const type = u16(entry + 2);
    // A single SHORT sits left-justified in the value field; a few writers use LONG.
    const value = type === TYPE_SHORT ? u16(entry + 8) : type === TYPE_LONG ? u32(entry + 8) : 0;
    return value >= 1 && value <= 8 ? value : 1;
  }
  return 1;
}
