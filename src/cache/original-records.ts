/**
 * What an origin reached over the network last said about a file, kept in this location's cache (Cache API) for
 * as long as it may be reused, fresh or stale: with it, a cache hit asks the origin nothing, and the origin is
 * asked again only as often as its own caching headers (within the origin's bounds) allow. The library's files are
 * never recorded here: their changes are published (src/library/published.ts).
 */
import type { Original } from '../origins/types';
import { sha256Hex } from '../security/crypto';
import type { Freshness } from './freshness';
import { cacheTags } from './zone-purge';

export interface OriginalRecord {
  path: string;
  etag: string;
  size: number;
  contentType?: string;
  isPrivate: boolean;
  lastModified?: number;
  /** When the origin said it (milliseconds since the epoch). */
  fetchedAt: number;
  freshness: Freshness;
}

/**
 * `fresh`: reuse it; `stale`: reuse it once more while it is revalidated; `stale-if-error`: reuse it only if the
 * origin fails; `expired`: ask the origin.
 */
export type RecordAge = 'fresh' | 'stale' | 'stale-if-error' | 'expired';

export function ageOf(record: OriginalRecord, now = Date.now()): RecordAge {
  const age = (now - record.fetchedAt) / 1000;
  const { freshFor, staleWhileRevalidate, staleIfError } = record.freshness;
  if (age < freshFor) return 'fresh';
  if (age < freshFor + staleWhileRevalidate) return 'stale';
  if (age < freshFor + staleIfError) return 'stale-if-error';
  return 'expired';
}

/**
 * Where the record of `path` is kept. `scope` names the origins the path resolves through (the URL endpoint and
 * its origins' configs), so a changed origin config never reuses an old answer.
 */
async function recordUrl(tenantId: string, scope: string, path: string): Promise<string> {
  return `https://originals.edgepix.internal/${tenantId}/${(await sha256Hex(`${scope}\n${path}`)).slice(0, 40)}`;
}

export async function readRecord(tenantId: string, scope: string, path: string): Promise<OriginalRecord | null> {
  const kept = await caches.default.match(await recordUrl(tenantId, scope, path));
  return kept ? ((await kept.json()) as OriginalRecord) : null;
}

/** Records what the origin said of `original` (only origins that give a freshness have anything to record). */
export async function writeRecord(tenantId: string, scope: string, path: string, original: Original, now = Date.now()): Promise<void> {
  const { freshness } = original;
  if (!freshness) return;
  const record: OriginalRecord = {
    path: original.path,
    etag: original.etag,
    size: original.size,
    contentType: original.contentType,
    isPrivate: original.isPrivate,
    lastModified: original.lastModified?.getTime(),
    fetchedAt: now,
    freshness,
  };
  const keepFor = freshness.freshFor + Math.max(freshness.staleWhileRevalidate, freshness.staleIfError);
  if (keepFor <= 0) return;
  const tags = (await cacheTags(tenantId, path)).join(',');
  const response = Response.json(record, { headers: { 'Cache-Control': `public, max-age=${keepFor}`, 'Cache-Tag': tags } });
  await caches.default.put(await recordUrl(tenantId, scope, path), response);
}
