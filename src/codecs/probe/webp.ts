// WebP: a RIFF container whose first chunk is 'VP8 ' (lossy), 'VP8L' (lossless) or 'VP8X' (extended: alpha,
// animation, metadata). Simple files are fully described by their first chunk's bitstream header; for VP8X the
// canvas size and flags are in the chunk, and we walk the chunk list only when we need to count ANMF frames or find
// the EXIF chunk (usually stored after the image data, so it costs a skip per chunk, never a decode).
import type { ImageInfo } from '../types';
import { malformed } from './errors';
import { need, u16le, u24le, u32le, u8 } from './bytes';
import { riffChunkAt, riffChunks } from './containers';
import { webpColour } from './colour';
import { readTiffOrientation } from './exif';

const FLAG_ALPHA = 0x10;
const FLAG_EXIF = 0x08;
const FLAG_ANIMATION = 0x02;

export function probeWebp(b: Uint8Array): ImageInfo {
  // "RIFF" <size> "WEBP" was matched by the sniffer. Chunks run to the RIFF end; bytes after it are ignored.
  const riffEnd = 8 + u32le(b, 4);
  const { type, data, end } = riffChunkAt(b, 12);
  if (type === 'VP8 ') return vp8(b, data, end);
  if (type === 'VP8L') return vp8l(b, data, end);
  if (type === 'VP8X') {
    const colour = webpColour(b);
    return { ...vp8x(b, data, end, riffEnd), ...(colour && { colour }) };
  }
  throw malformed(`webp: unexpected first chunk '${type}'`);
}

function still(width: number, height: number, hasAlpha: boolean): ImageInfo {
  return { format: 'webp', width, height, orientation: 1, hasAlpha, frames: 1, bitDepth: 8 };
}

/** Lossy: a VP8 key-frame header (RFC 6386 §9.1): 3-byte frame tag, start code 9d 01 2a, 14-bit width and height. */
function vp8(b: Uint8Array, o: number, end: number): ImageInfo {
  if ((u8(b, o, end) & 1) !== 0) throw malformed('webp: VP8 data does not start with a key frame');
  if (u8(b, o + 3, end) !== 0x9d || u8(b, o + 4, end) !== 0x01 || u8(b, o + 5, end) !== 0x2a) {
    throw malformed('webp: bad VP8 start code');
  }
  // The top two bits of each dimension are an upscaling hint, not part of the size.
  const width = u16le(b, o + 6, end) & 0x3fff;
  const height = u16le(b, o + 8, end) & 0x3fff;
  if (width === 0 || height === 0) throw malformed('webp: VP8 zero dimension');
  return still(width, height, false);
}

/** Lossless: signature 0x2f, then 14-bit width-1, 14-bit height-1, alpha_is_used, 3-bit version (must be 0). */
function vp8l(b: Uint8Array, o: number, end: number): ImageInfo {
  if (u8(b, o, end) !== 0x2f) throw malformed('webp: bad VP8L signature');
  const bits = u32le(b, o + 1, end);
  if (bits >>> 29 !== 0) throw malformed('webp: unknown VP8L version');
  return still((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1, ((bits >>> 28) & 1) === 1);
}

/** Extended: flags byte, 3 reserved bytes, 24-bit canvas width-1 and height-1. */
function vp8x(b: Uint8Array, o: number, end: number, riffEnd: number): ImageInfo {
  const flags = u8(b, o, end);
  const info = still(u24le(b, o + 4, end) + 1, u24le(b, o + 7, end) + 1, (flags & FLAG_ALPHA) !== 0);
  const animated = (flags & FLAG_ANIMATION) !== 0;
  if (!animated && (flags & FLAG_EXIF) === 0) return info;

  let frames = 0;
  let exifSeen = false;
  // From after the VP8X chunk (padded to an even length). A file cut short in a chunk header ends in 'truncated'.
  for (const { type, data, end: chunkEnd } of riffChunks(b, end + (end & 1), riffEnd)) {
    if (type === 'ANMF') frames++;
    else if (type === 'EXIF' && !exifSeen) {
      exifSeen = true;
      need(b, data, chunkEnd - data);
      info.orientation = readTiffOrientation(b, data, chunkEnd); // skips an "Exif\0\0" prefix if present
    }
  }
  if (animated) {
    // libwebp refuses an animation with no frames, so this is a broken file rather than a still image.
    if (frames === 0) throw malformed('webp: animation flag set but no ANMF chunks');
    info.frames = frames;
  }
  return info;
}
