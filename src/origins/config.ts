/**
 * Origins and URL endpoints as a tenant configures them through `/v1/accounts/origins` and
 * `/v1/accounts/url-endpoints` (ImageKit's API, `@imagekit/nodejs` `client.accounts.*`): the stored shapes, the
 * validation of request bodies, and the public views (never a secret).
 */
import { badField } from '../api/body';
import { HttpError } from '../http/errors';
import { checkOutboundUrl, OutboundRefused, type OutboundPolicy } from '../security/ssrf';

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
  endpoint: string;
  bucket: string;
  prefix: string;
  s3ForcePathStyle: boolean;
  accessKeyCiphertext: string;
  secretKeyCiphertext: string;
}

export interface StoredWebFolderOrigin extends StoredOriginBase {
  type: 'WEB_FOLDER';
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

function str(body: Record<string, unknown>, field: string, expected: string, opts: { required: boolean; max: number; min?: number }): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) {
    if (opts.required) throw badField(field, expected);
    return undefined;
  }
  if (typeof value !== 'string' || value.length > opts.max || value.length < (opts.min ?? 0)) throw badField(field, expected);
  return value;
}

function bool(body: Record<string, unknown>, field: string): boolean {
  const value = body[field];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw badField(field, 'true or false');
  return value;
}

const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/;
const AWS_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function prefixOf(body: Record<string, unknown>): string {
  const raw = str(body, 'prefix', 'a path inside the bucket (up to 512 characters, no "." or ".." segments)', { required: false, max: 512 }) ?? '';
  const prefix = raw.replace(/^\/+|\/+$/g, '');
  if (prefix.split('/').some((s) => s === '.' || s === '..') || prefix.includes('//') || prefix.includes('\0')) {
    throw badField('prefix', 'a path inside the bucket (no "." or ".." segments, no empty segments)');
  }
  return prefix;
}

/** An origin URL (S3 endpoint, web folder base): http(s), no credentials, query or fragment, allowed by the SSRF policy. */
function originUrl(body: Record<string, unknown>, field: string, policy: OutboundPolicy): URL {
  const expected = 'an http(s) URL of a public server, without credentials, query or fragment';
  const raw = str(body, field, expected, { required: true, max: 2048, min: 1 })!;
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
  return url;
}

function canonicalFields(body: Record<string, unknown>) {
  const includeCanonicalHeader = bool(body, 'includeCanonicalHeader');
  const raw = str(body, 'baseUrlForCanonicalHeader', 'an http(s) URL', { required: false, max: 2048 });
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

/**
 * Validates a create (POST) or replace (PUT) body. `hasStoredSecrets` (an update of an S3 origin of the same type)
 * lets accessKey/secretKey be left out to keep the stored ones.
 */
export function parseOriginBody(body: Record<string, unknown>, policy: OutboundPolicy, hasStoredSecrets = false): OriginInput {
  const type = body.type;
  if (typeof type !== 'string') throw badField('type', `one of ${SUPPORTED_ORIGIN_TYPES.join(', ')}`);
  if ((UNSUPPORTED_ORIGIN_TYPES as readonly string[]).includes(type)) {
    throw new HttpError(
      400,
      `Origin type "${type}" is not supported by this deployment`,
      `Use one of ${SUPPORTED_ORIGIN_TYPES.join(', ')}.`,
    );
  }
  if (!(SUPPORTED_ORIGIN_TYPES as readonly string[]).includes(type)) {
    throw badField('type', `one of ${SUPPORTED_ORIGIN_TYPES.join(', ')}`);
  }
  const name = str(body, 'name', 'a non-empty string of up to 200 characters', { required: true, max: 200, min: 1 })!;
  if (name.trim() === '') throw badField('name', 'a non-empty string of up to 200 characters');
  const common = { name, ...canonicalFields(body) };
  switch (type as OriginType) {
    case 'S3':
    case 'S3_COMPATIBLE': {
      if (body.useIAMRole === true) {
        throw new HttpError(400, 'useIAMRole is not supported by this deployment', 'Give an access key and a secret key with read access.');
      }
      if (body.useIAMRole !== undefined && body.useIAMRole !== null && body.useIAMRole !== false) throw badField('useIAMRole', 'false');
      const secretRequired = !hasStoredSecrets;
      const accessKey = str(body, 'accessKey', 'a non-empty access key id', { required: secretRequired, max: 256, min: 1 });
      const secretKey = str(body, 'secretKey', 'a non-empty secret key', { required: secretRequired, max: 1024, min: 1 });
      if ((accessKey === undefined) !== (secretKey === undefined)) {
        throw badField(accessKey === undefined ? 'accessKey' : 'secretKey', 'given together with the other key');
      }
      const prefix = prefixOf(body);
      if (type === 'S3') {
        const bucket = str(body, 'bucket', 'an S3 bucket name (3–63 of a-z, 0-9, ".", "-")', { required: true, max: 63, min: 3 })!;
        if (!AWS_BUCKET.test(bucket)) throw badField('bucket', 'an S3 bucket name (3–63 of a-z, 0-9, ".", "-")');
        return { type: 'S3', ...common, bucket, prefix, accessKey, secretKey };
      }
      const endpointUrl = originUrl(body, 'endpoint', policy);
      const bucket = str(body, 'bucket', 'a bucket name (3–255 of A-Z, a-z, 0-9, ".", "_", "-")', { required: true, max: 255, min: 3 })!;
      if (!BUCKET.test(bucket)) throw badField('bucket', 'a bucket name (3–255 of A-Z, a-z, 0-9, ".", "_", "-")');
      const endpoint = `${endpointUrl.protocol}//${endpointUrl.host}${endpointUrl.pathname.replace(/\/+$/, '')}`;
      return { type: 'S3_COMPATIBLE', ...common, endpoint, bucket, prefix, s3ForcePathStyle: bool(body, 's3ForcePathStyle'), accessKey, secretKey };
    }
    case 'WEB_FOLDER': {
      const url = originUrl(body, 'baseUrl', policy);
      const baseUrl = url.href.endsWith('/') ? url.href : `${url.href}/`;
      return { type: 'WEB_FOLDER', ...common, baseUrl, forwardHostHeaderToOrigin: bool(body, 'forwardHostHeaderToOrigin') };
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

/** Validates a URL endpoint body; origin ids and prefix uniqueness are checked against the config by the route. */
export function parseEndpointBody(body: Record<string, unknown>): EndpointInput {
  const description = str(body, 'description', 'a string of up to 1000 characters', { required: true, max: 1000 })!;
  const rawPrefix = body.urlPrefix;
  let urlPrefix: string | undefined;
  if (rawPrefix !== undefined && rawPrefix !== null) {
    if (typeof rawPrefix !== 'string') throw badField('urlPrefix', 'one path segment of letters, digits, "_" and "-"');
    urlPrefix = rawPrefix.replace(/^\/+|\/+$/g, '');
  }
  const rawOrigins = body.origins ?? [];
  if (!Array.isArray(rawOrigins) || rawOrigins.some((o) => typeof o !== 'string' || o === '')) {
    throw badField('origins', 'an array of origin ids');
  }
  const origins = rawOrigins as string[];
  if (origins.length > MAX_ORIGINS_PER_ENDPOINT) throw badField('origins', `at most ${MAX_ORIGINS_PER_ENDPOINT} origin ids`);
  if (new Set(origins).size !== origins.length) throw badField('origins', 'origin ids without duplicates');
  if (body.urlRewriter !== undefined && body.urlRewriter !== null) {
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
