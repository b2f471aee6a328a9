// PNG: IHDR gives size, bit depth and colour type; the chunks between IHDR and the first IDAT can add transparency
// (tRNS), animation (acTL) and orientation (eXIf). Image data is never inflated.
import type { ImageInfo } from '../types';
import { malformed } from './errors';
import { ascii, need, startsWith, u32be, u8 } from './bytes';
import { PNG_MAX_VALUE, pngChunks } from './containers';
import { pngColour } from './colour';
import { readTiffOrientation } from './exif';
import { crc32 } from '../crc32';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
/** Legal bit depths per colour type (PNG spec, table 11.1). */
const DEPTHS: Record<number, readonly number[]> = {
  0: [1, 2, 4, 8, 16], // grey
  2: [8, 16], // RGB
  3: [1, 2, 4, 8], // palette
  4: [8, 16], // grey + alpha
  6: [8, 16], // RGBA
};

export function probePng(b: Uint8Array): ImageInfo {
  // The sniffer only matched "\x89PNG"; the rest of the signature catches text-mode transfer damage (CRLF/LF/^Z).
  if (!startsWith(b, SIGNATURE)) {
    need(b, 0, SIGNATURE.length);
    throw malformed('png: corrupt signature');
  }
  // IHDR must come first: length 13, then the fields, then a CRC we check because IHDR is tiny and critical.
  if (u32be(b, 8) !== 13 || ascii(b, 12, 4) !== 'IHDR') throw malformed('png: first chunk is not IHDR');
  need(b, 8, 8 + 13 + 4);
  if (crc32(b, 12, 29) !== u32be(b, 29)) throw malformed('png: IHDR CRC mismatch');
  const width = u32be(b, 16);
  const height = u32be(b, 20);
  const depth = u8(b, 24);
  const colourType = u8(b, 25);
  if (width === 0 || height === 0 || width > PNG_MAX_VALUE || height > PNG_MAX_VALUE) {
    throw malformed(`png: IHDR declares ${width}x${height}`);
  }
  if (!DEPTHS[colourType]?.includes(depth)) throw malformed(`png: colour type ${colourType} with bit depth ${depth}`);
  if (u8(b, 26) !== 0 || u8(b, 27) !== 0 || u8(b, 28) > 1) throw malformed('png: bad compression/filter/interlace');

  let hasAlpha = colourType === 4 || colourType === 6; // grey+alpha, RGBA
  let frames = 1;
  let orientation = 1;
  // tRNS, acTL and eXIf must all precede the first IDAT, where the walk stops.
  for (const { type, data, end } of pngChunks(b, 33)) {
    if (type === 'tRNS') hasAlpha = true; // a transparent grey level, RGB colour or palette alpha
    else if (type === 'acTL') {
      // num_frames 0 is invalid and browsers then show the still image, so it stays 1.
      frames = u32be(b, data, end) || 1;
    } else if (type === 'eXIf') orientation = readTiffOrientation(b, data, end);
  }

  // Palette entries are 8-bit per channel whatever the index width, so a palette image is 8 bits per channel.
  const bitDepth = colourType === 3 ? 8 : depth;
  const colour = pngColour(b);
  return { format: 'png', width, height, orientation, hasAlpha, frames, bitDepth, ...(colour && { colour }) };
}
