/**
 * Origins and URL endpoints as a tenant configures them through `/v1/accounts/origins` and
 * `/v1/accounts/url-endpoints` (ImageKit's API, `@imagekit/nodejs` `client.accounts.*`): the stored shapes, the
 * validation of request bodies, and the public views (never a secret).
 */
import { DEFAULT_TTL_BOUNDS, type TtlBounds } from '../cache/freshness';
import { HttpError } from '../http/errors';
import { checkOutboundUrl, OutboundRefused, type OutboundPolicy } from '../security/ssrf';
import { badField, type Check, checkField, flag, integer, isArrayOf, oneOf, optional, text } from '../validate/fields';

export const SUPPORTED_ORIGIN_TYPES = ['S3', 'S3_COMPATIBLE', 'WEB_FOLDER', 'WEB_PROXY'] as const;
export type OriginType = (typeof SUPPORTED_ORIGIN_TYPES)[number];
/** ImageKit types this deployment does not implement: a 400 that names them. */
export const UNSUPPORTED_ORIGIN_TYPES = ['CLOUDINARY_BACKUP', 'GCS', 'AZURE_BLOB', 'AKENEO_PIM'] as const;

export const MAX_ORIGINS = 50;
export const MAX_URL_ENDPOINTS = 50;
export const MAX_ORIGINS_PER_ENDPOINT = 10;

interface StoredOriginBase {
  id: string;
  name: string;
  includeCanonicalHeader: boolean;
  baseUrlForCanonicalHeader?: string;
  /**
   * Bounds on how long delivery reuses what the origin said about a file before asking again (edgepix's own
   * fields; DEFAULT_TTL_BOUNDS when absent). The maximum is how long a changed file can go unnoticed.
   */
  minCacheSeconds?: number;
  maxCacheSeconds?: number;
  createdAt: string;
  updatedAt: string;
}

export interface StoredS3Origin extends StoredOriginBase {
  type: 'S3';
  bucket: string;
  prefix: string;
  /** AES-GCM ciphertexts (encryptSecret, bound to the tenant id). */
  accessKeyCiphertext: string;
  secretKeyCiphertext: string;
}

export interface StoredS3CompatibleOrigin extends StoredOriginBase {
  type: 'S3_COMPATIBLE';
  /** As the tenant wrote it (and the API echoes it); s3ObjectUrl and regionOf read it. */
  endpoint: string;
  bucket: string;
  prefix: string;
  s3ForcePathStyle: boolean;
  accessKeyCiphertext: string;
  secretKeyCiphertext: string;
}

export interface StoredWebFolderOrigin extends StoredOriginBase {
  type: 'WEB_FOLDER';
  /** As the tenant wrote it (and the API echoes it); WebFolderOrigin reads it as a folder, with or without its last slash. */
  baseUrl: string;
  forwardHostHeaderToOrigin: boolean;
}

export interface StoredWebProxyOrigin extends StoredOriginBase {
  type: 'WEB_PROXY';
}

export type StoredOrigin = StoredS3Origin | StoredS3CompatibleOrigin | StoredWebFolderOrigin | StoredWebProxyOrigin;

export interface StoredUrlEndpoint {
  id: string;
  description: string;
  /** One path segment of `[A-Za-z0-9_-]`; '' only for the default endpoint. */
  urlPrefix: string;
  /** Origin ids, tried in this order after the tenant's own files. */
  origins: string[];
}

export const DEFAULT_ENDPOINT_ID = 'default';

export function defaultEndpoint(): StoredUrlEndpoint {
  return { id: DEFAULT_ENDPOINT_ID, description: 'Default URL endpoint', urlPrefix: '', origins: [] };
}

/** The tenant's endpoints with the default one first (synthesised until it is first changed). */
export function endpointsOf(stored: readonly StoredUrlEndpoint[]): StoredUrlEndpoint[] {
  const def = stored.find((e) => e.id === DEFAULT_ENDPOINT_ID) ?? defaultEndpoint();
  return [def, ...stored.filter((e) => e.id !== DEFAULT_ENDPOINT_ID)];
}

// --- public views (ImageKit's OriginResponse / URLEndpointResponse) ------------------------------------------

export function describeOrigin(origin: StoredOrigin): Record<string, unknown> {
  const common = {
    id: origin.id,
    type: origin.type,
    name: origin.name,
    includeCanonicalHeader: origin.includeCanonicalHeader,
    ...(origin.baseUrlForCanonicalHeader !== undefined ? { baseUrlForCanonicalHeader: origin.baseUrlForCanonicalHeader } : {}),
    ...(origin.minCacheSeconds !== undefined ? { minCacheSeconds: origin.minCacheSeconds } : {}),
    ...(origin.maxCacheSeconds !== undefined ? { maxCacheSeconds: origin.maxCacheSeconds } : {}),
  };
  switch (origin.type) {
    case 'S3':
      return { ...common, bucket: origin.bucket, prefix: origin.prefix, useIAMRole: false };
    case 'S3_COMPATIBLE':
      return { ...common, endpoint: origin.endpoint, bucket: origin.bucket, prefix: origin.prefix, s3ForcePathStyle: origin.s3ForcePathStyle };
    case 'WEB_FOLDER':
      return { ...common, baseUrl: origin.baseUrl, forwardHostHeaderToOrigin: origin.forwardHostHeaderToOrigin };
    case 'WEB_PROXY':
      return common;
  }
}

export function describeEndpoint(endpoint: StoredUrlEndpoint): Record<string, unknown> {
  return { id: endpoint.id, description: endpoint.description, urlPrefix: endpoint.urlPrefix, origins: [...endpoint.origins] };
}

// --- validation -------------------------------------------------------------------------------------------------

/** A validated origin body; secrets still in plain text (the route encrypts them). */
export type OriginInput =
  | (Omit<StoredS3Origin, 'id' | 'createdAt' | 'updatedAt' | 'accessKeyCiphertext' | 'secretKeyCiphertext'> & Secrets)
  | (Omit<StoredS3CompatibleOrigin, 'id' | 'createdAt' | 'updatedAt' | 'accessKeyCiphertext' | 'secretKeyCiphertext'> & Secrets)
  | Omit<StoredWebFolderOrigin, 'id' | 'createdAt' | 'updatedAt'>
  | Omit<StoredWebProxyOrigin, 'id' | 'createdAt' | 'updatedAt'>;

/** Absent secrets on an update keep the stored ones (the API never shows them, so a client cannot echo them). */
interface Secrets {
  accessKey?: string;
  secretKey?: string;
}

/** A null field counts as absent, as for a client that writes every unset field as null. */
function withoutNulls(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null));
}

export const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/;
const AWS_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function prefixOf(body: Record<string, unknown>): string {
  const expected = 'a path inside the bucket (up to 512 characters, no "." or ".." segments)';
  const raw = checkField(body, 'prefix', optional(text(expected, { max: 512 }), ''));
  const prefix = raw.replace(/^\/+|\/+$/g, '');
  if (prefix.split('/').some((s) => s === '.' || s === '..') || prefix.includes('//') || prefix.includes('\0')) {
    throw badField('prefix', 'a path inside the bucket (no "." or ".." segments, no empty segments)');
  }
  return prefix;
}

/**
 * An origin URL (S3 endpoint, web folder base): http(s), no credentials, query or fragment, allowed by the SSRF
 * policy. It is kept as the tenant wrote it and read again where it is used (S3Origin, WebFolderOrigin).
 */
export function originUrl(body: Record<string, unknown>, field: string, policy: OutboundPolicy): string {
  const expected = 'an http(s) URL of a public server, without credentials, query or fragment';
  const raw = checkField(body, field, text(expected, { min: 1, max: 2048 }));
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badField(field, expected);
  }
  if (url.search || url.hash || raw.includes('#') || raw.includes('?')) throw badField(field, expected);
  try {
    // The port written here is the tenant's explicit choice, so it is allowed for this host.
    checkOutboundUrl(url, { ...policy, configuredHosts: new Set([url.host.toLowerCase()]) });
  } catch (error) {
    if (error instanceof OutboundRefused) throw badField(field, `${expected} (${error.reason})`);
    throw error;
  }
  return raw;
}

function canonicalFields(body: Record<string, unknown>) {
  const includeCanonicalHeader = checkField(body, 'includeCanonicalHeader', flag);
  const raw = checkField(body, 'baseUrlForCanonicalHeader', optional(text('an http(s) URL', { max: 2048 })));
  if (raw !== undefined && raw !== '') {
    let ok = false;
    try {
      const url = new URL(raw);
      ok = url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      ok = false;
    }
    if (!ok) throw badField('baseUrlForCanonicalHeader', 'an http(s) URL');
  }
  return { includeCanonicalHeader, ...(raw !== undefined ? { baseUrlForCanonicalHeader: raw } : {}) };
}

const MAX_CACHE_SECONDS = 31_536_000;

function cacheBounds(body: Record<string, unknown>): Pick<StoredOriginBase, 'minCacheSeconds' | 'maxCacheSeconds'> {
  const min = checkField(body, 'minCacheSeconds', optional(integer(0, MAX_CACHE_SECONDS)));
  const max = checkField(body, 'maxCacheSeconds', optional(integer(0, MAX_CACHE_SECONDS)));
  if (min !== undefined && max !== undefined && min > max) throw badField('maxCacheSeconds', 'at least minCacheSeconds');
  return { ...(min !== undefined ? { minCacheSeconds: min } : {}), ...(max !== undefined ? { maxCacheSeconds: max } : {}) };
}

/** The bounds delivery holds the origin's caching headers within. */
export function ttlBoundsOf(origin: StoredOrigin): TtlBounds {
  const min = origin.minCacheSeconds ?? Math.min(DEFAULT_TTL_BOUNDS.min, origin.maxCacheSeconds ?? Infinity);
  return { min, max: origin.maxCacheSeconds ?? Math.max(DEFAULT_TTL_BOUNDS.max, min) };
}

/**
 * Validates a create (POST) or replace (PUT) body. `hasStoredSecrets` (an update of an S3 origin of the same type)
 * lets accessKey/secretKey be left out to keep the stored ones.
 */
export function parseOriginBody(given: Record<string, unknown>, policy: OutboundPolicy, hasStoredSecrets = false): OriginInput {
  const body = withoutNulls(given);
  if (typeof body.type === 'string' && (UNSUPPORTED_ORIGIN_TYPES as readonly string[]).includes(body.type)) {
    throw new HttpError(
      400,
      `Origin type "${body.type}" is not supported by this deployment`,
      `Use one of ${SUPPORTED_ORIGIN_TYPES.join(', ')}.`,
    );
  }
  const type = checkField(body, 'type', oneOf(SUPPORTED_ORIGIN_TYPES));
  const name = checkField(body, 'name', text('a non-empty string of up to 200 characters', { max: 200, nonBlank: true }));
  const common = { name, ...canonicalFields(body), ...cacheBounds(body) };
  switch (type) {
    case 'S3':
    case 'S3_COMPATIBLE': {
      if (body.useIAMRole === true) {
        throw new HttpError(400, 'useIAMRole is not supported by this deployment', 'Give an access key and a secret key with read access.');
      }
      if (body.useIAMRole !== undefined && body.useIAMRole !== false) throw badField('useIAMRole', 'false');
      // Left out of an update, both keys stay what they were.
      const secret = (expected: string, max: number): Check<string | undefined> => {
        const check = text(expected, { min: 1, max });
        return hasStoredSecrets ? optional(check) : check;
      };
      const accessKey = checkField(body, 'accessKey', secret('a non-empty access key id', 256));
      const secretKey = checkField(body, 'secretKey', secret('a non-empty secret key', 1024));
      if ((accessKey === undefined) !== (secretKey === undefined)) {
        throw badField(accessKey === undefined ? 'accessKey' : 'secretKey', 'given together with the other key');
      }
      const prefix = prefixOf(body);
      if (type === 'S3') {
        const bucket = checkField(body, 'bucket', text('an S3 bucket name (3–63 of a-z, 0-9, ".", "-")', { pattern: AWS_BUCKET }));
        return { type: 'S3', ...common, bucket, prefix, accessKey, secretKey };
      }
      const endpoint = originUrl(body, 'endpoint', policy);
      const bucket = checkField(body, 'bucket', text('a bucket name (3–255 of A-Z, a-z, 0-9, ".", "_", "-")', { pattern: BUCKET }));
      const s3ForcePathStyle = checkField(body, 's3ForcePathStyle', flag);
      return { type: 'S3_COMPATIBLE', ...common, endpoint, bucket, prefix, s3ForcePathStyle, accessKey, secretKey };
    }
    case 'WEB_FOLDER': {
      const baseUrl = originUrl(body, 'baseUrl', policy);
      return { type: 'WEB_FOLDER', ...common, baseUrl, forwardHostHeaderToOrigin: checkField(body, 'forwardHostHeaderToOrigin', flag) };
    }
    case 'WEB_PROXY':
      return { type: 'WEB_PROXY', ...common };
  }
}

export const URL_PREFIX = /^[A-Za-z0-9_-]{1,100}$/;

export interface EndpointInput {
  description: string;
  urlPrefix?: string;
  origins: string[];
}

const isOriginId = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** Validates a URL endpoint body; origin ids and prefix uniqueness are checked against the config by the route. */
export function parseEndpointBody(given: Record<string, unknown>): EndpointInput {
  const body = withoutNulls(given);
  const description = checkField(body, 'description', text('a string of up to 1000 characters', { max: 1000 }));
  const urlPrefix = checkField(body, 'urlPrefix', optional(text('one path segment of letters, digits, "_" and "-"')))?.replace(/^\/+|\/+$/g, '');
  const origins = body.origins ?? [];
  if (!isArrayOf(origins, isOriginId)) throw badField('origins', 'an array of origin ids');
  if (origins.length > MAX_ORIGINS_PER_ENDPOINT) throw badField('origins', `at most ${MAX_ORIGINS_PER_ENDPOINT} origin ids`);
  if (new Set(origins).size !== origins.length) throw badField('origins', 'origin ids without duplicates');
  if (body.urlRewriter !== undefined) {
    throw new HttpError(
      400,
      'urlRewriter is not supported by this deployment',
      'Leave urlRewriter out; CLOUDINARY, IMGIX and AKAMAI URL rewriting are not supported by this deployment.',
    );
  }
  return { description, urlPrefix, origins };
}

/** A 24-hex-digit id, the shape of ImageKit's origin and endpoint ids. */
export function newConfigId(): string {
  return [...crypto.getRandomValues(new Uint8Array(12))].map((b) => b.toString(16).padStart(2, '0')).join('');
}
