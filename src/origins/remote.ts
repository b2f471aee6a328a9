/**
 * What the origins reached over the network (web folder, web proxy, S3) share: their options, one way to call
 * the SSRF-safe fetcher with the origin's caps, and the Original a HEAD describes, whose body is fetched only
 * when delivery asks for it (after the cache missed).
 */
import {
  cappedStream,
  DEFAULT_TIMEOUT_MS,
  type Fetcher,
  readCapped,
  safeFetch,
  type SafeFetchOptions,
  type SafeResponse,
} from '../security/safe-fetch';
import type { OutboundPolicy } from '../security/ssrf';
import { sliceStream } from '../http/byte-range';
import { DEFAULT_TTL_BOUNDS, freshnessOf, type TtlBounds } from '../cache/freshness';
import type { Original } from './types';

export interface RemoteOptions {
  /** The origin's id in the tenant config: part of every etag it hands out. */
  id: string;
  /** Its display name, for error messages. */
  name: string;
  policy: OutboundPolicy;
  /** The tenant's maxInputBytes. */
  maxBytes: number;
  /** How long answers may be reused, whatever the origin's caching headers say (DEFAULT_TTL_BOUNDS if absent). */
  ttl?: TtlBounds;
  timeoutMs?: number;
  fetcher?: Fetcher;
}

/** How messages name the origin, e.g. `origin "Product images"`. */
export const labelOf = (options: RemoteOptions) => `origin "${options.name}"`;

/** One request to the origin, through the SSRF guard and within the origin's time cap. */
export function fetchFromOrigin(
  options: RemoteOptions,
  url: string,
  request: Pick<SafeFetchOptions, 'method' | 'headers' | 'sign' | 'returnRedirects'>,
): Promise<SafeResponse> {
  return safeFetch(url, {
    ...request,
    policy: options.policy,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    label: labelOf(options),
    fetcher: options.fetcher,
  });
}

/**
 * The Original that a HEAD's `headers` describe, identified by `version` (prefixed with the origin's id, so two
 * origins never share a cached variant). `open` fetches the body and makes sure it is still that version.
 */
export function describedByHead(
  options: RemoteOptions,
  path: string,
  version: string,
  headers: Headers,
  isPrivate: boolean,
  open: () => Promise<SafeResponse>,
): Original {
  const length = headers.get('Content-Length');
  return {
    path,
    etag: `${options.id}:${version}`,
    // A HEAD without Content-Length leaves the size unknown (0); the byte cap still holds while reading.
    size: length && /^\d+$/.test(length) ? Number(length) : 0,
    contentType: headers.get('Content-Type') ?? undefined,
    lastModified: dateOf(headers.get('Last-Modified')),
    isPrivate,
    freshness: freshnessOf(headers, options.ttl ?? DEFAULT_TTL_BOUNDS),
    bytes: async () => readCapped(await open(), options.maxBytes),
    // Origins are read from the start (their range support varies); the range is cut here.
    stream: async (range) => {
      const whole = await cappedStream(await open(), options.maxBytes);
      return range ? sliceStream(whole, range) : whole;
    },
  };
}

/** An ETag without its weak marker and quotes, as a version to compare. */
export const bareEtag = (value: string | null): string => (value ?? '').replace(/^W\//, '').replaceAll('"', '').trim();

export function dateOf(value: string | null): Date | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time);
}
