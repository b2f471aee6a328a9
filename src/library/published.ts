/**
 * The library's published index: for every file delivery can serve, what a cache hit needs to know about it
 * (which version is current, whether it is private), in KV under `published:<tenant>:<path>`. The tenant's
 * MediaLibrary object writes it after every change that affects delivery; delivery reads it with an edge cache
 * TTL, so a cache hit never calls the object. A missing key means the path has no published file.
 *
 * Staleness: a change reaches every location within KV's propagation (up to a minute) plus READ_CACHE_SECONDS,
 * plus the isolate's own memo (MEMO_MS), which the isolate that made the change drops at once (forgetPublished).
 */
import { memo } from '../cache/memo';
export interface PublishedFile {
  versionId: string;
  size: number;
  mime: string;
  isPrivate: boolean;
  /** Milliseconds since the epoch; `?updatedAt=` newer than this means the entry is older than the URL. */
  updatedAt: number;
  /** "x,y,width,height", the area `fo-custom` centres on; absent when the file has none. */
  customCoordinates?: string;
}

/** How long a location keeps a read entry (KV's minimum edge cache TTL). */
export const READ_CACHE_SECONDS = 30;

const PREFIX = 'published:';

/** `path` as the library writes it: `/a/b.jpg`. */
export const publishedKey = (tenantId: string, path: string) => `${PREFIX}${tenantId}:${path}`;

export const publishedPrefix = (tenantId: string) => `${PREFIX}${tenantId}:`;

/** A busy isolate reads each entry at most this often: a hit costs no KV read, and KV reads are billed. */
const MEMO_MS = 1_000;
const recent = memo<Promise<PublishedFile | null>>({ ttlMs: MEMO_MS, capacity: 10_000 });
/** Bumped by forgetPublished: part of every memo key, so a tenant's entries are dropped at once. */
const generations = new Map<string, number>();

export function readPublished(kv: KVNamespace, tenantId: string, path: string): Promise<PublishedFile | null> {
  const key = publishedKey(tenantId, path);
  return recent.get(`${generations.get(tenantId) ?? 0}\n${key}`, () =>
    kv.get<PublishedFile>(key, { type: 'json', cacheTtl: READ_CACHE_SECONDS }),
  );
}

/** This isolate has just changed the tenant's library: its next reads go to KV, which the change has reached. */
export function forgetPublished(tenantId: string): void {
  generations.set(tenantId, (generations.get(tenantId) ?? 0) + 1);
}
