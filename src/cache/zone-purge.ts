/**
 * Purging every location, not just this one: the Cache API reaches only the data centre a Worker runs in, but
 * Cloudflare's purge API removes entries everywhere by the Cache-Tag they were stored with. Every cached variant
 * and every original record carries two tags (cacheTags): the tenant's, and the tenant's for its path. Optional:
 * without CLOUDFLARE_API_TOKEN and CLOUDFLARE_ZONE_ID, other locations keep their copies until they expire.
 */
import { type ZoneEnv, zoneApi, zoneConfigured } from '../http/cloudflare-api';
import { sha256Hex } from '../security/crypto';

/** The tags a cached entry of `path` is stored with: the tenant's, and the tenant's for the path. */
export async function cacheTags(tenantId: string, path: string): Promise<string[]> {
  return [`ep-${tenantId}`, `ep-${tenantId}-${(await sha256Hex(path)).slice(0, 32)}`];
}

export type ZoneTarget = { path: string } | { prefix: string };

/**
 * Purges the target's entries in every location: a path by its tag, a prefix by the tenant's tag (tags cannot
 * express a prefix, so the tenant's other entries go too and are made again on their next request). Answers
 * false when no zone is configured.
 */
export async function purgeZone(env: ZoneEnv, tenantId: string, target: ZoneTarget): Promise<boolean> {
  if (!zoneConfigured(env)) return false;
  const [tenantTag, pathTag] = await cacheTags(tenantId, 'path' in target ? target.path : '');
  await zoneApi(env, 'POST', '/purge_cache', { tags: ['path' in target ? pathTag : tenantTag] });
  return true;
}
