import { readVariant, writeVariant } from '../../cache/variant-store';
import type { KeyedContext, ResolvedContext, Stage } from '../context';
import { notModified, notModifiedResponse } from '../conditional';
import { variantHeaders } from '../headers';
import { extensionOf } from '../mime';
import { variantKeyOf } from '../variant-key';
import { deliveryMedia } from '../media';

/**
 * Names the variant, answers a matching If-None-Match (or, without one, If-Modified-Since) with 304, then tries
 * the edge cache and the R2 store. A store hit refills the edge cache after the response.
 */
export const lookupCache: Stage<ResolvedContext, KeyedContext> = async (ctx) => {
  const { original } = ctx;
  const key = await variantKeyOf(ctx, original);
  const keyed = Object.assign(ctx, { variantKey: key });
  if (notModified(ctx.request, key, original.lastModified)) {
    ctx.timing.cache = 'revalidated';
    return notModifiedResponse(variantHeaders(keyed, 'application/octet-stream'));
  }
  const at = { tenantId: ctx.tenantId, path: original.path, key };
  // Timed as `origin`: Server-Timing has a fixed set of entries (timing.ts) and none of its own for the cache read.
  const hit = await ctx.timing.time('origin', () => readVariant(deliveryMedia(ctx), at));
  if (!hit) return keyed;
  ctx.timing.cache = hit.tier === 'edge' ? 'hit-edge' : 'hit-store';
  if (hit.tier === 'store' && hit.body instanceof Uint8Array) {
    const maxAge = ctx.tenant.settings.cacheMaxAgeSeconds;
    const tiers = { edge: true, store: false };
    ctx.exec.waitUntil(writeVariant(deliveryMedia(ctx), at, hit.body, hit.contentType, maxAge, { tiers, etag: hit.etag }));
  }
  const headers = variantHeaders(keyed, hit.contentType, extensionOf(hit.contentType));
  // The original's own bytes answer as the original (transform-image.ts); delivery/finish.ts revalidates that ETag.
  if (hit.etag) headers.set('ETag', `"${hit.etag}"`);
  // A known length lets delivery count the bytes without a counting stream (src/delivery/bandwidth.ts).
  if (hit.size !== null) headers.set('Content-Length', String(hit.size));
  return new Response(hit.body, { headers });
};
