/**
 * ImageKit's Metadata object (`GET /v1/files/:id/metadata`, `GET /v1/metadata?url=`) and the flat
 * `embeddedMetadata` of a file, read from headers: dimensions and transparency from the probe, quality from the
 * JPEG quantisation tables, density from EXIF/JFIF/pHYs, colour profile presence from the ICC carrier of each
 * format, EXIF groups through exifr. The only pixels decoded are for pHash, and only when that is cheap: JPEG at
 * a reduced DCT scale up to PHASH_MAX_JPEG_PIXELS, other formats up to PHASH_MAX_PIXELS.
 *
 * Values are JSON-safe and bounded: binary tags become short strings or number arrays or are left out.
 * No Node APIs here: this module runs inside workerd.
 */
// @ts-expect-error exifr's typings reference Node's; its ESM build needs nothing from Node, so it is typed below.
import * as exifrBuild from 'exifr/dist/full.esm.mjs';
import { decoderFor } from '../codecs/registry';
import { probe, ProbeError, sniffFormat } from '../codecs/probe';
import { ascii, u16be, u32be, u32le } from '../codecs/probe/bytes';
import type { ImageFormat, ImageInfo } from '../codecs/types';
import { HttpError } from '../http/errors';
import { applyOrientation } from '../image/orient';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

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

export interface FileMetadata {
  height: number;
  width: number;
  size: number;
  /** ImageKit's names: jpg, png, webp, avif, gif. */
  format: string;
  hasColorProfile: boolean;
  /** JPEG: estimated IJG quality 1–100; 0 for other formats (not measurable from the header). */
  quality: number;
  /** Dots per inch; 72 when the file does not say. */
  density: number;
  hasTransparency: boolean;
  /** 64-bit DCT perceptual hash as 16 hex digits; "" when it could not be computed cheaply. */
  pHash: string;
  exif: ExifGroups;
}

const FORMAT_NAMES: Record<ImageFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif', gif: 'gif' };
export const DEFAULT_DENSITY = 72;
/** pHash decodes PNG, WebP and AVIF at full size, so only small ones. */
export const PHASH_MAX_PIXELS = 4_000_000;
/** JPEG decodes at 1/8 scale (a 25 MP photo gives ~0.4 MP); the decoder's memory budget still applies. */
export const PHASH_MAX_JPEG_PIXELS = 25_000_000;

/** The Metadata object of an image. A file that is not a readable image is a 400 (unknown format) or 422 (damaged). */
export async function describeMetadata(bytes: Uint8Array): Promise<FileMetadata> {
  let info: ImageInfo;
  try {
    info = probe(bytes);
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    if (error.reason === 'unsupported format') {
      throw new HttpError(400, 'The file is not an image whose metadata can be read', 'Metadata is available for JPEG, PNG, WebP, AVIF and GIF images.');
    }
    throw new HttpError(422, `The image is damaged: ${error.message}`, 'Upload the file again; its header could not be read.');
  }
  const tags = await readTags(bytes, info.format, METADATA_OPTIONS);
  return {
    height: info.height,
    width: info.width,
    size: bytes.byteLength,
    format: FORMAT_NAMES[info.format],
    hasColorProfile: hasColorProfile(bytes, info.format),
    quality: info.format === 'jpeg' ? (jpegQuality(bytes) ?? 0) : 0,
    density: density(bytes, info.format, tags),
    hasTransparency: info.hasAlpha,
    pHash: await perceptualHash(bytes, info),
    exif: exifGroups(tags),
  };
}

// --- EXIF through exifr -------------------------------------------------------------------------------------------

type Tags = Record<string, unknown>;

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
const METADATA_OPTIONS = { ...BASE_OPTIONS, ifd1: true, interop: true, jfif: true, xmp: false, iptc: false, sanitize: false };
/** For embeddedMetadata: the descriptive tags, IPTC and XMP, no pointers or thumbnail IFD. */
const EMBEDDED_OPTIONS = { ...BASE_OPTIONS, ifd1: false, interop: false, jfif: false, xmp: true, iptc: true, sanitize: true };

/** exifr's output; {} when the file has no metadata or exifr cannot read it. */
async function readTags(bytes: Uint8Array, format: ImageFormat | undefined, options: Record<string, unknown>): Promise<Tags> {
  // exifr reads JPEG, PNG, HEIF/AVIF and TIFF but not WebP, whose EXIF chunk holds a plain TIFF stream; GIF has none.
  const input = format === 'webp' ? webpChunk(bytes, 'EXIF') : format === 'gif' ? undefined : bytes;
  if (!input || input.byteLength < 8) return {};
  const tiff = startsWithExifPrefix(input) ? input.subarray(6) : input;
  try {
    return (await exifr.parse(tiff, options)) ?? {};
  } catch {
    return {};
  }
}

const startsWithExifPrefix = (b: Uint8Array) => b.length > 6 && ascii(b, 0, 6) === 'Exif\0\0';

/** Keys exifr computes (decimal GPS position) rather than reads from a tag. */
const COMPUTED = new Set(['latitude', 'longitude']);
/** exifr tag names that ImageKit (exiftool naming) spells differently. */
const RENAMED: Record<string, string> = { ExifIFD: 'ExifOffset', GpsIFD: 'GPSInfo', InteropIFD: 'InteropOffset' };

function exifGroups(tags: Tags): ExifGroups {
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
const MAX_ARRAY = 64;

/** A tag value as JSON, or undefined to leave it out. */
function jsonValue(value: unknown): Json | undefined {
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
function userComment(value: unknown): Json | undefined {
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

// --- embeddedMetadata ---------------------------------------------------------------------------------------------

export const EMBEDDED_MAX_KEYS = 200;
/** exifr output keys that are not XMP namespaces. */
const NON_XMP_KEYS = new Set(['ifd0', 'ifd1', 'exif', 'gps', 'interop', 'iptc', 'jfif', 'ihdr', 'icc', 'makerNote', 'userComment', 'errors']);
const EXIF_DATE = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const EXIF_DATE_TAGS = new Set(['DateTimeOriginal', 'CreateDate', 'ModifyDate', 'DateTimeDigitized']);

/**
 * The flat tag object ImageKit stores as a file's `embeddedMetadata`: EXIF (IFD0, Exif, GPS), then IPTC, then
 * XMP, the first source of a name winning; at most EMBEDDED_MAX_KEYS keys, strings up to 1000 characters. EXIF
 * dates become ISO 8601 (read as UTC; EXIF has no zone) and GPS positions signed decimal degrees, so search can
 * compare them. Never throws: a file that is not an image, or has no metadata, gives {}.
 */
export async function embeddedMetadata(bytes: Uint8Array): Promise<JsonObject> {
  const tags = await readTags(bytes, sniffFormat(bytes), EMBEDDED_OPTIONS);
  // A Map, because names come from the file: "__proto__" or "constructor" must stay plain keys.
  const out = new Map<string, Json>();
  const add = (key: string, value: Json | undefined) => {
    if (value !== undefined && !out.has(key) && out.size < EMBEDDED_MAX_KEYS) out.set(key, value);
  };
  for (const block of ['ifd0', 'exif', 'gps'] as const) {
    const raw = tags[block];
    if (typeof raw !== 'object' || raw === null) continue;
    const values = raw as Record<string, unknown>;
    for (const [key, value] of Object.entries(values)) {
      if (COMPUTED.has(key)) continue;
      if (key === 'UserComment') add(key, userComment(value));
      else if (key === 'GPSLatitude' || key === 'GPSLongitude') add(key, decimalDegrees(value, values[`${key}Ref`]));
      else if (EXIF_DATE_TAGS.has(key) && typeof value === 'string') add(key, exifDateToIso(value));
      else add(key, jsonValue(value));
    }
  }
  // With sanitize on, exifr hands UserComment over separately.
  add('UserComment', userComment(tags.userComment));
  const iptc = tags.iptc;
  if (typeof iptc === 'object' && iptc !== null) {
    for (const [key, value] of Object.entries(iptc)) {
      // Keywords is a list even when the file has one, so `IN` searches behave the same.
      add(key, key === 'Keywords' && typeof value === 'string' ? [value] : jsonValue(value));
    }
  }
  for (const [namespace, properties] of Object.entries(tags)) {
    if (NON_XMP_KEYS.has(namespace) || typeof properties !== 'object' || properties === null) continue;
    for (const [name, value] of Object.entries(properties)) add(name.charAt(0).toUpperCase() + name.slice(1), xmpValue(value));
  }
  return Object.fromEntries(out);
}

function exifDateToIso(text: string): Json | undefined {
  const m = EXIF_DATE.exec(text.replace(/\0+$/, '').trim());
  if (!m) return jsonValue(text);
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`;
  return Number.isNaN(Date.parse(iso)) ? jsonValue(text) : iso;
}

function decimalDegrees(value: unknown, ref: unknown): Json | undefined {
  if (!Array.isArray(value) || value.length === 0 || !value.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    return jsonValue(value);
  }
  const [deg = 0, min = 0, sec = 0] = value as number[];
  const degrees = deg + min / 60 + sec / 3600;
  const negative = ref === 'S' || ref === 'W';
  return Math.round((negative ? -degrees : degrees) * 1e7) / 1e7;
}

/** XMP values as exifr parses them: strings, lists, and language alternatives `{lang, value}`. */
function xmpValue(value: unknown): Json | undefined {
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ARRAY).map(xmpValue).filter((v): v is Json => v !== undefined && typeof v !== 'object');
    return items.length > 0 ? items : undefined;
  }
  if (typeof value === 'object' && value !== null && 'value' in value) return jsonValue((value as { value: unknown }).value);
  return jsonValue(value);
}

// --- container walkers ----------------------------------------------------------------------------------------

interface Segment {
  marker: number;
  /** First payload byte (after the length). */
  start: number;
  end: number;
}

/** JPEG marker segments from SOI up to the first SOS; stops quietly at anything malformed. */
function jpegSegments(b: Uint8Array): Segment[] {
  const segments: Segment[] = [];
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) break;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xda || marker === 0xd9) break; // SOS, EOI
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    const length = u16be(b, i + 2);
    if (length < 2 || i + 2 + length > b.length) break;
    segments.push({ marker, start: i + 4, end: i + 2 + length });
    i += 2 + length;
  }
  return segments;
}

interface Chunk {
  type: string;
  start: number;
  end: number;
}

/** PNG chunks before the first IDAT (where iCCP and pHYs must be). */
function pngChunks(b: Uint8Array): Chunk[] {
  const chunks: Chunk[] = [];
  for (let i = 8; i + 12 <= b.length; ) {
    const length = u32be(b, i);
    const type = ascii(b, i + 4, 4);
    if (type === 'IDAT' || type === 'IEND' || i + 12 + length > b.length) break;
    chunks.push({ type, start: i + 8, end: i + 8 + length });
    i += 12 + length;
  }
  return chunks;
}

/** RIFF chunks of a WebP file. */
function webpChunks(b: Uint8Array): Chunk[] {
  const chunks: Chunk[] = [];
  for (let i = 12; i + 8 <= b.length; ) {
    const length = u32le(b, i + 4);
    const type = ascii(b, i, 4);
    if (i + 8 + length > b.length) break;
    chunks.push({ type, start: i + 8, end: i + 8 + length });
    i += 8 + length + (length % 2); // chunks are padded to even sizes
  }
  return chunks;
}

function webpChunk(b: Uint8Array, type: string): Uint8Array | undefined {
  const chunk = webpChunks(b).find((c) => c.type === type);
  return chunk ? b.subarray(chunk.start, chunk.end) : undefined;
}

/** Runs a header walk, treating anything it cannot read as "not there". */
function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

// --- colour profile ---------------------------------------------------------------------------------------------

/** Whether the image embeds an ICC profile: JPEG APP2 ICC_PROFILE, PNG iCCP, WebP ICCP, AVIF colr 'prof'/'rICC'. */
export function hasColorProfile(bytes: Uint8Array, format: ImageFormat): boolean {
  return safely(() => {
    switch (format) {
      case 'jpeg':
        return jpegSegments(bytes).some((s) => s.marker === 0xe2 && s.end - s.start > 12 && ascii(bytes, s.start, 12) === 'ICC_PROFILE\0');
      case 'png':
        return pngChunks(bytes).some((c) => c.type === 'iCCP');
      case 'webp':
        return webpChunks(bytes).some((c) => c.type === 'ICCP');
      case 'avif':
        return avifHasIcc(bytes);
      case 'gif':
        return false;
    }
  }, false);
}

/** Whether `b` holds the ASCII text `text` at `o`. */
const textAt = (b: Uint8Array, o: number, text: string) => [...text].every((c, k) => b[o + k] === c.charCodeAt(0));

/** Bytes of a meta box scanned for colr: item properties are small, a huge declared meta box is not walked whole. */
const MAX_META_SCAN = 1 << 20;

/** Looks for a colr property carrying an ICC profile inside the top-level meta box (item properties live there). */
function avifHasIcc(b: Uint8Array): boolean {
  for (let i = 0; i + 8 <= b.length; ) {
    let size = u32be(b, i);
    if (size === 1) size = u32be(b, i + 8) * 2 ** 32 + u32be(b, i + 12); // 64-bit size
    if (size === 0) size = b.length - i; // to the end of the file
    if (size < 8) return false;
    if (textAt(b, i + 4, 'meta')) {
      const end = Math.min(i + size, b.length, i + MAX_META_SCAN);
      for (let j = i + 8; j + 8 <= end; j++) {
        if (b[j] === 0x63 && textAt(b, j, 'colr') && (textAt(b, j + 4, 'prof') || textAt(b, j + 4, 'rICC'))) return true;
      }
      return false;
    }
    i += size;
  }
  return false;
}

// --- density --------------------------------------------------------------------------------------------------

/** Dots per inch from EXIF (ResolutionUnit 2 inch, 3 cm), else JFIF or PNG pHYs; DEFAULT_DENSITY otherwise. */
function density(bytes: Uint8Array, format: ImageFormat, tags: Tags): number {
  // Unit 2 is inches, 3 centimetres (EXIF's ResolutionUnit numbering).
  const perInch = (value: unknown, unit: unknown): number | undefined => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return undefined;
    if (unit === 2) return value;
    if (unit === 3) return value * 2.54;
    return undefined;
  };
  const ifd0 = (tags.ifd0 ?? {}) as Record<string, unknown>;
  const jfif = (tags.jfif ?? {}) as Record<string, unknown>;
  let dpi = ifd0.XResolution !== undefined ? perInch(ifd0.XResolution, ifd0.ResolutionUnit ?? 2) : undefined;
  // JFIF units: 0 aspect ratio only, 1 per inch, 2 per cm.
  if (dpi === undefined && (jfif.ResolutionUnit === 1 || jfif.ResolutionUnit === 2)) {
    dpi = perInch(jfif.XResolution, jfif.ResolutionUnit === 1 ? 2 : 3);
  }
  if (dpi === undefined && format === 'png') {
    dpi = safely(() => {
      const phys = pngChunks(bytes).find((c) => c.type === 'pHYs' && c.end - c.start >= 9);
      // Unit 1: pixels per metre.
      return phys && bytes[phys.start + 8] === 1 ? u32be(bytes, phys.start) * 0.0254 : undefined;
    }, undefined);
  }
  return dpi === undefined ? DEFAULT_DENSITY : Math.round(dpi);
}

// --- JPEG quality ---------------------------------------------------------------------------------------------

/** Sum of the IJG (Annex K) luminance quantisation table: 64 values, order does not matter for a sum. */
const STANDARD_LUMA_SUM = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80,
  62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98,
  112, 100, 103, 99,
].reduce((a, b) => a + b, 0);

/**
 * The IJG quality (1–100) that would produce the file's luminance quantisation table: libjpeg scales the standard
 * table by `s = q < 50 ? 5000/q : 200 - 2q` percent, so the ratio of the sums gives `s` back. Encoders with their
 * own tables get the nearest IJG equivalent. Undefined when the file has no table 0.
 */
export function jpegQuality(bytes: Uint8Array): number | undefined {
  return safely(() => {
    for (const segment of jpegSegments(bytes)) {
      if (segment.marker !== 0xdb) continue;
      // A DQT segment holds one or more tables: Pq/Tq byte, then 64 values of 8 (Pq 0) or 16 bits (Pq 1).
      for (let i = segment.start; i < segment.end; ) {
        const precision = bytes[i]! >> 4;
        const id = bytes[i]! & 0x0f;
        const size = precision === 0 ? 64 : 128;
        if (i + 1 + size > segment.end) break;
        if (id === 0) {
          let sum = 0;
          let allOnes = true;
          for (let k = 0; k < 64; k++) {
            const q = precision === 0 ? bytes[i + 1 + k]! : u16be(bytes, i + 1 + 2 * k);
            sum += q;
            if (q !== 1) allOnes = false;
          }
          if (allOnes) return 100;
          const scale = (sum * 100) / STANDARD_LUMA_SUM;
          const quality = scale <= 100 ? (200 - scale) / 2 : 5000 / scale;
          return Math.min(100, Math.max(1, Math.round(quality)));
        }
        i += 1 + size;
      }
    }
    return undefined;
  }, undefined);
}

// --- pHash ----------------------------------------------------------------------------------------------------

const HASH_SIZE = 32;

/**
 * The classic DCT perceptual hash: the upright image as 32×32 luma (area average, transparency over white), its
 * 2-D DCT, the 8×8 lowest frequencies without the DC row and column, one bit each for "above the median". 16 hex
 * digits, most significant bit first. "" when decoding would not be cheap or fails.
 */
export async function perceptualHash(bytes: Uint8Array, info: ImageInfo): Promise<string> {
  const decoder = decoderFor(info.format);
  const pixels = info.width * info.height;
  const cheap = info.format === 'jpeg' ? info.bitDepth === 8 && pixels <= PHASH_MAX_JPEG_PIXELS : pixels <= PHASH_MAX_PIXELS;
  if (!decoder || !cheap) return '';
  let frame;
  try {
    // JPEG decodes at the smallest DCT scale that still covers 32×32 (1/8 for photos).
    const hint = { minWidth: HASH_SIZE, minHeight: HASH_SIZE, fewestPixels: true };
    frame = applyOrientation(await decoder.decode(bytes, info, hint), info.orientation);
  } catch {
    return '';
  }
  const { width, height, data } = frame;
  const luma = new Float64Array(HASH_SIZE * HASH_SIZE);
  for (let oy = 0; oy < HASH_SIZE; oy++) {
    const y0 = Math.floor((oy * height) / HASH_SIZE);
    const y1 = Math.max(y0 + 1, Math.floor(((oy + 1) * height) / HASH_SIZE));
    for (let ox = 0; ox < HASH_SIZE; ox++) {
      const x0 = Math.floor((ox * width) / HASH_SIZE);
      const x1 = Math.max(x0 + 1, Math.floor(((ox + 1) * width) / HASH_SIZE));
      let sum = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const p = (y * width + x) * 4;
          const alpha = data[p + 3]! / 255;
          const l = 0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!;
          sum += l * alpha + 255 * (1 - alpha);
        }
      }
      luma[oy * HASH_SIZE + ox] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return hashFromLuma(luma);
}

/** Bits from the DCT of a 32×32 luma grid (exported for tests). */
export function hashFromLuma(luma: Float64Array): string {
  const n = HASH_SIZE;
  const cos = (u: number, x: number) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * n));
  // Only frequencies 1–8 are needed: rows first, then columns (separable DCT-II; scale factors cancel out).
  const rows = new Float64Array(n * 8);
  for (let y = 0; y < n; y++) {
    for (let u = 1; u <= 8; u++) {
      let s = 0;
      for (let x = 0; x < n; x++) s += luma[y * n + x]! * cos(u, x);
      rows[y * 8 + (u - 1)] = s;
    }
  }
  const coefficients: number[] = [];
  for (let v = 1; v <= 8; v++) {
    for (let u = 0; u < 8; u++) {
      let s = 0;
      for (let y = 0; y < n; y++) s += rows[y * 8 + u]! * cos(v, y);
      coefficients.push(s);
    }
  }
  const sorted = [...coefficients].sort((a, b) => a - b);
  const median = (sorted[31]! + sorted[32]!) / 2;
  let hex = '';
  for (let i = 0; i < 64; i += 4) {
    let nibble = 0;
    for (let j = 0; j < 4; j++) nibble = (nibble << 1) | (coefficients[i + j]! > median ? 1 : 0);
    hex += nibble.toString(16);
  }
  return hex;
}

/** Hamming distance of two pHash strings (0 = same, 64 = opposite), as ImageKit's SDK helpers compute it. */
export function pHashDistance(a: string, b: string): number {
  let distance = 0;
  for (let i = 0; i < 16; i++) {
    let x = parseInt(a[i] ?? '0', 16) ^ parseInt(b[i] ?? '0', 16);
    for (; x; x &= x - 1) distance++;
  }
  return distance;
}
