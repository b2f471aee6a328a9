/**
 * The library's published index: for every file delivery can serve, what a cache hit needs to know about it
 * (which version is current, whether it is private), in KV under `published:<tenant>:<path>`. The tenant's
 * MediaLibrary object writes it after every change that affects delivery; delivery reads it with an edge cache
 * TTL, so a cache hit never calls the object. A missing key means the path has no published file.
 *
 * Staleness: a change reaches every location within KV's propagation (up to a minute) plus READ_CACHE_SECONDS.
 */
export interface PublishedFile {
  versionId: string;
  size: number;
  mime: string;
  isPrivate: boolean;
  /** Milliseconds since the epoch; `?updatedAt=` newer than this means the entry is older than the URL. */
  updatedAt: number;
}

/** How long a location keeps a read entry (KV's minimum edge cache TTL). */
export const READ_CACHE_SECONDS = 30;

const PREFIX = 'published:';

/** `path` as the library writes it: `/a/b.jpg`. */
export const publishedKey = (tenantId: string, path: string) => `${PREFIX}${tenantId}:${path}`;

export const publishedPrefix = (tenantId: string) => `${PREFIX}${tenantId}:`;

export function readPublished(kv: KVNamespace, tenantId: string, path: string): Promise<PublishedFile | null> {
  return kv.get<PublishedFile>(publishedKey(tenantId, path), { type: 'json', cacheTtl: READ_CACHE_SECONDS });
}
