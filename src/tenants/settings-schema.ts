/**
 * Validation of `PATCH /v1/accounts/settings`: one table of fields with bounded validators, like the URL
 * parameter table. A patch is checked whole before anything is applied, and a bad value is a 400 naming the
 * field (`access.ipBlock[2]`, `limits.maxInputBytes`).
 */
import { badField } from '../api/body';
import { validateCidr, validateCountry, validateHost } from '../security/access';
import { MAX_UPLOAD_BYTES, type TenantSettings } from './config';

type Check = (value: unknown, field: string) => void;

const boolean: Check = (value, field) => {
  if (typeof value !== 'boolean') throw badField(field, 'true or false');
};

const integer = (min: number, max: number, nullable = false): Check => (value, field) => {
  if (nullable && value === null) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badField(field, `an integer from ${min} to ${max}${nullable ? ', or null' : ''}`);
  }
};

const number = (min: number, max: number): Check => (value, field) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw badField(field, `a number from ${min} to ${max}`);
  }
};

const list = (maxItems: number, item: (text: string) => boolean, describe: string): Check => (value, field) => {
  if (!Array.isArray(value)) throw badField(field, `an array of ${describe}`);
  if (value.length > maxItems) throw badField(field, `at most ${maxItems} entries`);
  value.forEach((entry, i) => {
    if (typeof entry !== 'string' || !item(entry)) throw badField(`${field}[${i}]`, describe);
  });
};

const nonEmpty = (text: string) => text.trim().length > 0 && text.length <= 256;

/** Every settings field and its validator; nested objects are one level deep. */
const SCHEMA: Record<string, Check | Record<string, Check>> = {
  restrictUnsignedUrls: boolean,
  restrictUnnamedTransformations: boolean,
  access: {
    ipAllow: list(100, validateCidr, 'IPv4 or IPv6 addresses or CIDR ranges'),
    ipBlock: list(100, validateCidr, 'IPv4 or IPv6 addresses or CIDR ranges'),
    countryAllow: list(250, validateCountry, 'two-letter ISO 3166 country codes'),
    countryBlock: list(250, validateCountry, 'two-letter ISO 3166 country codes'),
    referrerAllow: list(30, validateHost, 'host names (exact domains, no wildcards)'),
    referrerBlock: list(30, validateHost, 'host names (exact domains, no wildcards)'),
    userAgentBlock: list(10, nonEmpty, 'non-empty substrings of at most 256 characters'),
  },
  rateLimit: {
    deliveryPerIpPerMinute: integer(1, 1_000_000, true),
    apiPerKeyPerMinute: integer(1, 1_000_000, true),
  },
  limits: {
    maxInputBytes: integer(1024, 100 * 1024 * 1024),
    maxInputMegapixels: number(0.01, 100),
    maxOutputDimension: integer(1, 16383),
    maxOutputMegapixels: number(0.01, 100),
    maxUploadBytes: integer(1024, MAX_UPLOAD_BYTES),
  },
  defaultQuality: integer(1, 100),
  cacheMaxAgeSeconds: integer(0, 31_536_000),
};

/** Validates a partial settings object and returns the merged, whole settings. Throws before changing anything. */
export function applySettingsPatch(current: TenantSettings, patch: Record<string, unknown>): TenantSettings {
  const next = structuredClone(current) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    const rule = Object.hasOwn(SCHEMA, key) ? SCHEMA[key] : undefined;
    if (!rule) throw badField(key, `one of the settings fields: ${Object.keys(SCHEMA).join(', ')}`);
    if (typeof rule === 'function') {
      rule(value, key);
      next[key] = value;
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badField(key, 'an object');
    const section = next[key] as Record<string, unknown>;
    for (const [inner, innerValue] of Object.entries(value)) {
      const check = Object.hasOwn(rule, inner) ? rule[inner] : undefined;
      if (!check) throw badField(`${key}.${inner}`, `one of ${Object.keys(rule).join(', ')}`);
      check(innerValue, `${key}.${inner}`);
      section[inner] = normalise(key, inner, innerValue);
    }
  }
  return next as unknown as TenantSettings;
}

/** Country codes are stored upper-case, hosts lower-case, so comparisons at the edge are exact. */
function normalise(section: string, field: string, value: unknown): unknown {
  if (section !== 'access' || !Array.isArray(value)) return value;
  if (field.startsWith('country')) return value.map((c: string) => c.toUpperCase());
  if (field.startsWith('referrer')) return value.map((h: string) => h.toLowerCase());
  return value;
}
