/**
 * EXIF, IPTC and XMP through exifr, and the Metadata object's EXIF groups. Tag values become JSON-safe and bounded:
 * binary tags become short strings or number arrays or are left out.
 */
// @ts-expect-error exifr's typings reference Node's; its ESM build needs nothing from Node, so it is typed below.
import * as exifrBuild from 'exifr/dist/full.esm.mjs';
import { startsWith } from '../../codecs/probe/bytes';
import { findPart, riffChunks } from '../../codecs/probe/containers';
import { EXIF_PREFIX } from '../../codecs/probe/exif';
import type { ImageFormat } from '../../codecs/types';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const exifr = exifrBuild as {
  parse(input: Uint8Array, options: Record<string, unknown>): Promise<Record<string, unknown> | undefined>;
};

export interface ExifGroups {
  image: JsonObject;
  thumbnail: JsonObject;
  exif: JsonObject;
  gps: JsonObject;
  interoperability: JsonObject;
  makernote: JsonObject;
}

export type Tags = Record<string, unknown>;

/** Common exifr options: keys translated to tag names, values as stored (EXIF date strings, rationals as numbers). */
const BASE_OPTIONS = {
  tiff: true,
  icc: false,
  makerNote: false,
  userComment: true,
  translateKeys: true,
  translateValues: false,
  reviveValues: false,
  mergeOutput: false,
  silentErrors: true,
};
// Module-level objects on purpose: exifr caches its parsed options per options object, forever.
/** For the Metadata object: every IFD, with the IFD pointers ImageKit lists (ExifOffset, GPSInfo, InteropOffset). */
export const METADATA_OPTIONS = { ...BASE_OPTIONS, ifd1: true, interop: true, jfif: true, xmp: false, iptc: false, sanitize: false };
/** For embeddedMetadata: the descriptive tags, IPTC and XMP, no pointers or thumbnail IFD. */
export const EMBEDDED_OPTIONS = { ...BASE_OPTIONS, ifd1: false, interop: false, jfif: false, xmp: true, iptc: true, sanitize: true };

/** exifr's output; {} when the file has no metadata or exifr cannot read it. */
export async function readTags(bytes: Uint8Array, format: ImageFormat | undefined, options: Record<string, unknown>): Promise<Tags> {
  // exifr reads JPEG, PNG, HEIF/AVIF and TIFF but not WebP, whose EXIF chunk holds a plain TIFF stream; GIF has none.
  const input = format === 'webp' ? webpExif(bytes) : format === 'gif' ? undefined : bytes;
  if (!input || input.byteLength < 8) return {};
  const tiff = startsWith(input, EXIF_PREFIX) ? input.subarray(EXIF_PREFIX.length) : input;
  try {
    return (await exifr.parse(tiff, options)) ?? {};
  } catch {
    return {};
  }
}

/** The payload of a WebP's first EXIF chunk, when all of it is there. */
function webpExif(b: Uint8Array): Uint8Array | undefined {
  const chunk = findPart(riffChunks(b, 12, b.length), (c) => c.type === 'EXIF');
  return chunk && chunk.end <= b.length ? b.subarray(chunk.data, chunk.end) : undefined;
}

/** Keys exifr computes (decimal GPS position) rather than reads from a tag. */
export const COMPUTED = new Set(['latitude', 'longitude']);
/** exifr tag names that ImageKit (exiftool naming) spells differently. */
const RENAMED: Record<string, string> = { ExifIFD: 'ExifOffset', GpsIFD: 'GPSInfo', InteropIFD: 'InteropOffset' };

export function exifGroups(tags: Tags): ExifGroups {
  const group = (raw: unknown): JsonObject => {
    const out: JsonObject = {};
    if (typeof raw !== 'object' || raw === null) return out;
    for (const [key, value] of Object.entries(raw)) {
      if (COMPUTED.has(key)) continue;
      const json = key === 'UserComment' ? userComment(value) : jsonValue(value);
      if (json !== undefined) out[RENAMED[key] ?? key] = json;
    }
    return out;
  };
  return {
    image: group(tags.ifd0),
    thumbnail: group(tags.ifd1),
    exif: group(tags.exif),
    gps: group(tags.gps),
    interoperability: group(tags.interop),
    // Maker notes are vendor-specific binary blobs; ImageKit shows an empty object too.
    makernote: {},
  };
}

const MAX_STRING = 1000;
export const MAX_ARRAY = 64;

/** A tag value as JSON, or undefined to leave it out. */
export function jsonValue(value: unknown): Json | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const text = value.replace(/\0+$/, '').trim();
    return text === '' ? undefined : text.slice(0, MAX_STRING);
  }
  if (value instanceof Uint8Array) {
    // UNDEFINED-type tags: versions ("0221") read as text, short byte lists as numbers, blobs are left out.
    const printable = value.length > 0 && value.length <= 256 && value.every((c, i) => (c >= 0x20 && c < 0x7f) || (c === 0 && i === value.length - 1));
    if (printable) return jsonValue(String.fromCharCode(...value));
    return value.length <= 16 ? [...value] : undefined;
  }
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ARRAY).map(jsonValue).filter((v): v is Json => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  return undefined;
}

/** UserComment starts with an 8-byte character code (ASCII, UNICODE, JIS or zeros) before the text. */
export function userComment(value: unknown): Json | undefined {
  if (!(value instanceof Uint8Array) || value.length < 8) return jsonValue(value);
  const code = String.fromCharCode(...value.subarray(0, 8)).replace(/\0+$/, '');
  const text = value.subarray(8);
  if (code === 'UNICODE') {
    // UCS-2, big-endian unless it starts with a little-endian byte order mark (decoded by hand: workerd's
    // TextDecoder does not promise UTF-16BE).
    const little = text[0] === 0xff && text[1] === 0xfe;
    let decoded = '';
    for (let i = 0; i + 1 < text.length; i += 2) {
      const unit = little ? text[i]! | (text[i + 1]! << 8) : (text[i]! << 8) | text[i + 1]!;
      if (unit !== 0xfeff) decoded += String.fromCharCode(unit);
    }
    return jsonValue(decoded);
  }
  if (code === 'ASCII' || code === '') return jsonValue(new TextDecoder().decode(text));
  return undefined;
}
