/**
 * Validation of `PATCH /v1/accounts/settings`: one table of fields with bounded validators, like the URL
 * parameter table. A patch is checked whole before anything is applied, and a bad value is a 400 naming the
 * field (`access.ipBlock[2]`, `limits.maxInputBytes`).
 */
import { validateCidr, validateCountry, validateHost } from '../security/access';
import { badField, boolean, type Check, integer, integerList, listOf, number, object, oneOf } from '../validate/fields';
import { MAX_UPLOAD_BYTES, type TenantSettings } from './config';
import { FORMAT_SETTINGS_SCHEMA } from './format-settings';
import { watermarkCheck } from './watermark';

const nonEmpty = (text: string) => text.trim().length > 0 && text.length <= 256;

/** Every settings field and its validator; nested objects are one level deep. */
const SCHEMA: Record<string, Check<unknown> | Record<string, Check<unknown>>> = {
  restrictUnsignedUrls: boolean,
  restrictUnnamedTransformations: boolean,
  access: {
    ipAllow: listOf(100, validateCidr, 'IPv4 or IPv6 addresses or CIDR ranges'),
    ipBlock: listOf(100, validateCidr, 'IPv4 or IPv6 addresses or CIDR ranges'),
    countryAllow: listOf(250, validateCountry, 'two-letter ISO 3166 country codes'),
    countryBlock: listOf(250, validateCountry, 'two-letter ISO 3166 country codes'),
    referrerAllow: listOf(30, validateHost, 'host names (exact domains, no wildcards)'),
    referrerBlock: listOf(30, validateHost, 'host names (exact domains, no wildcards)'),
    userAgentBlock: listOf(10, nonEmpty, 'non-empty substrings of at most 256 characters'),
  },
  rateLimit: {
    deliveryPerIpPerMinute: integer(1, 1_000_000, { nullable: true }),
    apiPerKeyPerMinute: integer(1, 1_000_000, { nullable: true }),
  },
  limits: {
    maxInputBytes: integer(1024, 100 * 1024 * 1024),
    maxInputMegapixels: number(0.01, 100),
    maxOutputDimension: integer(1, 16383),
    maxOutputMegapixels: number(0.01, 100),
    maxUploadBytes: integer(1024, MAX_UPLOAD_BYTES),
    maxVideoInputBytes: integer(1024, 2 * 1024 * 1024 * 1024),
    maxVideoSeconds: integer(1, 4 * 3600),
    maxAnimationFrames: integer(1, 10_000),
    maxAnimationFrameMegapixels: number(0.001, 16),
    maxAnimationMegapixels: number(1, 2000),
  },
  defaultQuality: integer(1, 100),
  cacheMaxAgeSeconds: integer(0, 31_536_000),
  cors: {
    allowOrigins: listOf(50, isCorsOrigin, '"*" or https origins such as https://www.example.com (scheme and host, no path)'),
  },
  variants: {
    sizeStep: integer(1, 1000, { nullable: true }),
    widths: integerList(100, 1, 16383),
    heights: integerList(100, 1, 16383),
    qualities: integerList(100, 1, 100),
    newPerOriginalPerHour: integer(1, 100_000, { nullable: true }),
    overBudget: oneOf(['nearest', 'refuse']),
  },
  formats: FORMAT_SETTINGS_SCHEMA,
  watermark: watermarkCheck,
  analytics: {
    ipPrivacy: oneOf(['truncate', 'hash', 'none']),
  },
};

/** `*`, or an https origin written as browsers send it in `Origin` (any case: it is stored lower-case). */
function isCorsOrigin(text: string): boolean {
  if (text === '*') return true;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' && url.origin === text.toLowerCase();
  } catch {
    return false;
  }
}

/** Validates a partial settings object and returns the merged, whole settings. Throws before changing anything. */
export function applySettingsPatch(current: TenantSettings, patch: Record<string, unknown>): TenantSettings {
  const next = structuredClone(current) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    const rule = Object.hasOwn(SCHEMA, key) ? SCHEMA[key] : undefined;
    if (!rule) throw badField(key, `one of the settings fields: ${Object.keys(SCHEMA).join(', ')}`);
    if (typeof rule === 'function') {
      // Checks may normalise (the watermark comes back whole, without a leading tr:).
      next[key] = rule(value, key);
      continue;
    }
    const section = next[key] as Record<string, unknown>;
    for (const [inner, innerValue] of Object.entries(object()(value, key))) {
      const check = Object.hasOwn(rule, inner) ? rule[inner] : undefined;
      if (!check) throw badField(`${key}.${inner}`, `one of ${Object.keys(rule).join(', ')}`);
      // Checks may normalise (integer lists come back sorted and without repeats).
      const checked = check(innerValue, `${key}.${inner}`);
      section[inner] = normalise(key, inner, checked ?? innerValue);
    }
  }
  return next as unknown as TenantSettings;
}

/** Country codes are stored upper-case, hosts and CORS origins lower-case, so comparisons at the edge are exact. */
function normalise(section: string, field: string, value: unknown): unknown {
  if (section === 'cors' && Array.isArray(value)) return value.map((o: string) => o.toLowerCase());
  if (section !== 'access' || !Array.isArray(value)) return value;
  if (field.startsWith('country')) return value.map((c: string) => c.toUpperCase());
  if (field.startsWith('referrer')) return value.map((h: string) => h.toLowerCase());
  return value;
}
