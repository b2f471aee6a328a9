/**
 * An ICC profile and EXIF inserted into an encoded JPEG or PNG file. The row encoders write EncodeOptions.metadata
 * themselves; this tags files made without it: originals that tests and benchmarks prepare.
 * JPEG gets APP1 "Exif" and APP2 "ICC_PROFILE"
 * segments (a profile over 64 KB split into numbered chunks) right after SOI; PNG gets iCCP (zlib-compressed)
 * and eXIf chunks right after IHDR.
 */
import { zlibSync } from 'fflate';
import { crc32 } from '../crc32';
import type { EncodeOptions } from '../types';
import { ascii, concat } from './bytes';

export type Metadata = NonNullable<EncodeOptions['metadata']>;


/** A JPEG marker segment: FF, marker, length (counting itself), payload. */
function segment(marker: number, payload: Uint8Array): Uint8Array {
  if (payload.length > 65533) throw new RangeError('a JPEG segment holds at most 65533 bytes');
  return concat([Uint8Array.of(0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff), payload]);
}

/** Bytes of profile per APP2 segment: 65533 less "ICC_PROFILE\0", sequence number and count. */
const ICC_CHUNK = 65533 - 14;

export function jpegWithMetadata(jpeg: Uint8Array, { icc, exif }: Metadata): Uint8Array {
  const parts: Uint8Array[] = [jpeg.subarray(0, 2)]; // SOI
  if (exif && exif.length <= 65533 - 6) parts.push(segment(0xe1, concat([ascii('Exif\0\0'), exif])));
  if (icc) {
    const count = Math.ceil(icc.length / ICC_CHUNK);
    if (count <= 255) {
      for (let k = 0; k < count; k++) {
        const chunk = icc.subarray(k * ICC_CHUNK, (k + 1) * ICC_CHUNK);
        parts.push(segment(0xe2, concat([ascii('ICC_PROFILE\0'), Uint8Array.of(k + 1, count), chunk])));
      }
    }
  }
  parts.push(jpeg.subarray(2));
  return concat(parts);
}

/** A PNG chunk: length, type, data, CRC of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(ascii(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

const IHDR_END = 8 + 25; // signature, then IHDR's length, type, 13 bytes and CRC

export function pngWithMetadata(png: Uint8Array, { icc, exif }: Metadata): Uint8Array {
  const parts: Uint8Array[] = [png.subarray(0, IHDR_END)];
  if (icc) parts.push(chunk('iCCP', concat([ascii('ICC profile\0\0'), zlibSync(icc, { level: 9 })])));
  if (exif) parts.push(chunk('eXIf', exif));
  parts.push(png.subarray(IHDR_END));
  return concat(parts);
}
