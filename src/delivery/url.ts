import { HttpError } from '../http/errors';
import type { TenantConfig } from '../tenants/config';
import { primaryDomain } from '../tenants/domains';

/** Where a tenant's files are delivered on the deployment that `requestUrl` reached: `https://host/<tenant>`. */
export const tenantEndpoint = (requestUrl: string, tenantId: string) => `${new URL(requestUrl).origin}/${tenantId}`;

/** Where the tenant's files' URLs point: its first active own hostname when it has one, else tenantEndpoint. */
export function filesEndpoint(requestUrl: string, tenant: Pick<TenantConfig, 'id' | 'domains'>): string {
  const own = primaryDomain(tenant.domains);
  return own ? `${new URL(requestUrl).protocol}//${own}` : tenantEndpoint(requestUrl, tenant.id);
}

/**
 * The parts of a delivery URL: `/<tenant>[/tr:<steps>]/<path>[?tr=<steps>]` on the deployment's host, or
 * `[/tr:<steps>]/<path>` on a tenant's own hostname (src/tenants/domains.ts).
 */
export interface DeliveryUrl {
  tenantId: string;
  /** Path segments before the file's (and a URL endpoint prefix's): 1 for the tenant's, 0 on its own hostname. */
  tenantSegments: 0 | 1;
  /** The URL endpoint a signer used for the tenant's files here: `https://host/<tenant>`, or `https://host` on its own hostname. */
  endpointBase: string;
  /** Percent-decoded file path without the leading slash. */
  path: string;
  /** Transformation text from the path (`tr:`) and from `?tr=`, in that order; empty when absent. */
  pathTransformation: string;
  queryTransformation: string;
  attachment: boolean;
  /** Answer the image's info as JSON instead of the image: `?ik-info=true`, or Cloudflare's `format=json`. */
  info: boolean;
  /** Set when the URL came through Cloudflare's door, `/cdn-cgi/image/<options>/<source>` (cdn-cgi.ts). */
  cloudflare?: CloudflareDoor;
}

export interface CloudflareDoor {
  /** The source as an untransformed delivery URL of this host (query kept, signature dropped). */
  sourceUrl: string;
  /** `onerror=redirect`: a transformation that fails answers 302 to sourceUrl. */
  redirectOnError: boolean;
}

const MAX_PATH = 1024;

export function parseDeliveryUrl(url: URL, hostTenant?: string): DeliveryUrl | undefined {
  const segments = url.pathname.split('/').slice(1);
  const tenantId = hostTenant ?? segments.shift();
  if (!tenantId) return undefined;
  const tenantSegments = hostTenant === undefined ? 1 : 0;
  let pathTransformation = '';
  if (segments[0]?.startsWith('tr:')) pathTransformation = decode(segments.shift()!.slice(3));
  const decoded = segments.map(decode);
  if (decoded.length === 0 || decoded.every((s) => s === '')) {
    throw new HttpError(400, 'A file path is required after the tenant', 'Use /<tenant>/<path to file>.');
  }
  const path = checkedPath(decoded);
  return {
    tenantId,
    tenantSegments,
    endpointBase: tenantSegments ? tenantEndpoint(url.href, tenantId) : url.origin,
    path,
    pathTransformation,
    queryTransformation: url.searchParams.get('tr') ?? '',
    attachment: url.searchParams.get('ik-attachment') === 'true',
    info: url.searchParams.get('ik-info') === 'true',
  };
}

/**
 * The other reading of a delivery URL, when its first segment names a URL endpoint:
 * `/<tenant>[/tr:<steps>]/<urlPrefix>[/tr:<steps>]/<path>` (ImageKit accepts the `tr:` segment on either side of
 * the prefix). Only the tenant's config knows whether the segment is one of its prefixes, so parseRequest asks for
 * this reading once the tenant is known; undefined when the URL cannot be one (no prefix-shaped segment, nothing
 * after).
 */
export interface EndpointPath {
  urlPrefix: string;
  path: string;
  pathTransformation: string;
}

const PREFIX_SEGMENT = /^[A-Za-z0-9_-]+$/;

export function parseEndpointPath(url: URL, tenantSegments: 0 | 1 = 1): EndpointPath | undefined {
  const segments = url.pathname.split('/').slice(1 + tenantSegments);
  let pathTransformation = '';
  if (segments[0]?.startsWith('tr:')) pathTransformation = decode(segments.shift()!.slice(3));
  const urlPrefix = segments.shift();
  if (!urlPrefix || !PREFIX_SEGMENT.test(urlPrefix)) return undefined;
  if (!pathTransformation && segments[0]?.startsWith('tr:')) pathTransformation = decode(segments.shift()!.slice(3));
  const decoded = segments.map(decode);
  if (decoded.length === 0 || decoded.every((s) => s === '')) return undefined;
  return { urlPrefix, path: checkedPath(decoded), pathTransformation };
}

/** Joins decoded segments into the file path, refusing dot segments, NUL and overlong paths. */
function checkedPath(decoded: string[]): string {
  // Checked after decoding and joining, so an encoded slash (..%2F) cannot smuggle a segment in.
  const path = decoded.join('/');
  if (path.split('/').some((s) => s === '..' || s === '.') || path.includes('\0')) {
    throw new HttpError(400, 'The file path may not contain "." or ".." segments', 'Use the file\'s real path.');
  }
  if (path.length > MAX_PATH) {
    throw new HttpError(414, `The file path is longer than ${MAX_PATH} characters`, 'Use a shorter path.');
  }
  return path;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `Malformed percent-encoding in "${segment}"`, 'Encode the path with encodeURIComponent.');
  }
}
