/**
 * The flat `embeddedMetadata` ImageKit stores with a file: EXIF, IPTC and XMP tags in one object, with dates and GPS
 * positions in forms that search can compare.
 */
import { sniffFormat } from '../../codecs/probe';
import { COMPUTED, EMBEDDED_OPTIONS, type Json, type JsonObject, MAX_ARRAY, jsonValue, readTags, userComment } from './exif';

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
