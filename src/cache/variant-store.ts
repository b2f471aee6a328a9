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
}

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
    return { body: edge.body, contentType: edge.headers.get('Content-Type') ?? 'application/octet-stream', tier: 'edge', size };
  }
  const stored = await bucket.get(await storeKey(at));
  if (!stored) return null;
  // Variants are small; buffering lets the same bytes answer the client and refill the edge tier.
  const body = new Uint8Array(await stored.arrayBuffer());
  return { body, contentType: stored.httpMetadata?.contentType ?? 'application/octet-stream', tier: 'store', size: body.length };
}

/** Puts the variant in both tiers; meant for waitUntil, after the response has gone out. */
export async function writeVariant(
  bucket: R2Bucket,
  at: VariantAddress,
  body: Uint8Array,
  contentType: string,
  maxAgeSeconds: number,
  tiers: { edge: boolean; store: boolean } = { edge: true, store: true },
): Promise<void> {
  const writes: Promise<unknown>[] = [];
  if (tiers.store) {
    // The path rides along so a prefix purge can find variants whose R2 keys only carry its hash.
    const described = at.description && {
      etag: at.description.etag,
      shape: at.description.shape,
      width: String(at.description.width),
      height: String(at.description.height),
    };
    writes.push(bucket.put(await storeKey(at), body, { httpMetadata: { contentType }, customMetadata: { path: at.path, ...described } }));
  }
  if (tiers.edge) {
    const response = new Response(body, {
      headers: {
        'Content-Type': contentType,
        'Cache-Control': `public, max-age=${maxAgeSeconds}`,
        'Cache-Tag': (await cacheTags(at.tenantId, at.path)).join(','),
      },
    });
    writes.push(caches.default.put(edgeCacheUrl(at.tenantId, at.key), response));
  }
  await Promise.all(writes);
}

async function storeKey(at: VariantAddress): Promise<string> {
  return `${await variantPrefix(at.tenantId, at.path)}${at.key}`;
}
