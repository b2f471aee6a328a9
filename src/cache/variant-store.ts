/**
 * Two tiers of variant cache: the Cache API (per data centre, fast, evictable) in front of the R2 derived
 * store (durable, shared by every location). Both hold the same bytes under the same variant key.
 */
import { edgeCacheUrl, variantPrefix } from './keys';
import { cacheTags } from './zone-purge';

export interface StoredVariant {
  body: ReadableStream | Uint8Array;
  contentType: string;
  tier: 'edge' | 'store';
  /** Bytes in the body, when known (the response's Content-Length). */
  size: number | null;
  /** The ETag it was stored with when that is not its key (the original's own bytes, answered as the original). */
  etag?: string;
}

export interface WriteOptions {
  /** Both tiers unless said. */
  tiers?: { edge: boolean; store: boolean };
  /** The ETag to answer with instead of the key. */
  etag?: string;
}

const ETAG_HEADER = 'X-Edgepix-Etag';

export interface VariantAddress {
  tenantId: string;
  path: string;
  key: string;
  /** Stored with the variant in R2 so the nearest one can be found (src/cache/nearest-variant.ts). */
  description?: VariantDescription;
}

/** What a stored variant is: of which original version, of which shape (everything but its size), how large. */
export interface VariantDescription {
  etag: string;
  shape: string;
  width: number;
  height: number;
}

export async function readVariant(bucket: R2Bucket, at: VariantAddress): Promise<StoredVariant | null> {
  const edge = await caches.default.match(edgeCacheUrl(at.tenantId, at.key));
  if (edge?.body) {
    const length = edge.headers.get('Content-Length');
    const size = length === null ? null : Number(length);
    const contentType = edge.headers.get('Content-Type') ?? 'application/octet-stream';
    return { body: edge.body, contentType, tier: 'edge', size, ...etagOf(edge.headers.get(ETAG_HEADER)) };
  }
  const stored = await bucket.get(await storeKey(at));
  if (!stored) return null;
  // Variants are small; buffering lets the same bytes answer the client and refill the edge tier.
  const body = new Uint8Array(await stored.arrayBuffer());
  const contentType = stored.httpMetadata?.contentType ?? 'application/octet-stream';
  return { body, contentType, tier: 'store', size: body.length, ...etagOf(stored.customMetadata?.answerEtag) };
}

const etagOf = (etag: string | null | undefined) => (etag ? { etag } : {});

/** Puts the variant in both tiers; meant for waitUntil, after the response has gone out. */
export async function writeVariant(
  bucket: R2Bucket,
  at: VariantAddress,
  body: Uint8Array,
  contentType: string,
  maxAgeSeconds: number,
  options: WriteOptions = {},
): Promise<void> {
  const { tiers = { edge: true, store: true }, etag } = options;
  const writes: Promise<unknown>[] = [];
  if (tiers.store) {
    // The path rides along so a prefix purge can find variants whose R2 keys only carry its hash.
    const described = at.description && {
      etag: at.description.etag,
      shape: at.description.shape,
      width: String(at.description.width),
      height: String(at.description.height),
    };
    // `etag` there is the original version's (nearest-variant.ts); `answerEtag` the one the variant answers with.
    const customMetadata: Record<string, string> = { path: at.path, ...described, ...(etag ? { answerEtag: etag } : {}) };
    writes.push(bucket.put(await storeKey(at), body, { httpMetadata: { contentType }, customMetadata }));
  }
  if (tiers.edge) {
    const headers = new Headers({
      'Content-Type': contentType,
      'Cache-Control': `public, max-age=${maxAgeSeconds}`,
      'Cache-Tag': (await cacheTags(at.tenantId, at.path)).join(','),
    });
    if (etag) headers.set(ETAG_HEADER, etag);
    const response = new Response(body, { headers });
    writes.push(caches.default.put(edgeCacheUrl(at.tenantId, at.key), response));
  }
  await Promise.all(writes);
}

async function storeKey(at: VariantAddress): Promise<string> {
  return `${await variantPrefix(at.tenantId, at.path)}${at.key}`;
}
