/**
 * Cache purge: deletes stored variants from both tiers. R2 keys are `variants/<tenant>/<hash(path)>/<key>`, so
 * one path is one R2 prefix; a path prefix cannot be turned into a key prefix, so it is matched against the
 * `path` each variant carries in its custom metadata (variants written before that metadata existed are
 * missed by a prefix purge, never by a path purge).
 *
 * The Cache API only reaches this data centre's cache. Other locations are purged through Cloudflare's API by
 * cache tag when a zone is configured (src/cache/zone-purge.ts); otherwise their copies live until they expire
 * (the tenant's cacheMaxAgeSeconds) and are never refilled from the purged R2 store.
 * Every deleted variant costs one Cache API call, so one invocation purges at most about as many variants as
 * the platform's per-invocation subrequest limit allows.
 */
import type { Env } from '../env';
import { edgeCacheUrl, variantPrefix } from './keys';
import { purgeZone } from './zone-purge';
import { type MediaEnv, mediaOf } from '../storage/media';

export type PurgeTarget = { path: string } | { prefix: string };

/** R2's list option `include`, which the workers-types in use predate. */
type ListOptions = R2ListOptions & { include?: ('httpMetadata' | 'customMetadata')[] };

/** Deletes every variant of the path (or of every path under the prefix); answers how many there were here. */
export async function purgeVariants(
  env: MediaEnv & Pick<Env, 'CLOUDFLARE_API_TOKEN' | 'CLOUDFLARE_ZONE_ID' | 'CLOUDFLARE_API_BASE'>,
  tenantId: string,
  target: PurgeTarget,
): Promise<number> {
  let purged = 0;
  const media = mediaOf(env, tenantId);
  for await (const keys of variantPages(media, tenantId, target)) {
    if (keys.length === 0) continue;
    await media.delete(keys);
    // The variant key is the last segment of the R2 key, and names the edge copy too.
    await Promise.all(keys.map((key) => caches.default.delete(edgeCacheUrl(tenantId, key.slice(key.lastIndexOf('/') + 1)))));
    purged += keys.length;
  }
  await purgeZone(env, tenantId, target);
  return purged;
}

/** The R2 keys of the target's variants, a list page at a time (at most 1000, what one delete accepts). */
async function* variantPages(bucket: R2Bucket, tenantId: string, target: PurgeTarget): AsyncGenerator<string[]> {
  const byPath = 'path' in target;
  const prefix = byPath ? await variantPrefix(tenantId, target.path) : `variants/${tenantId}/`;
  let cursor: string | undefined;
  do {
    const options: ListOptions = { prefix, cursor, include: byPath ? [] : ['customMetadata'] };
    const page = await bucket.list(options);
    const objects = byPath ? page.objects : page.objects.filter((o) => o.customMetadata?.path?.startsWith(target.prefix));
    yield objects.map((o) => o.key);
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}
