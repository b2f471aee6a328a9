/**
 * Purging every location, not just this one: the Cache API reaches only the data centre a Worker runs in, but
 * Cloudflare's purge API removes entries everywhere by the Cache-Tag they were stored with. Every cached variant
 * and every original record carries two tags (cacheTags): the tenant's, and the tenant's for its path. Optional:
 * without CLOUDFLARE_API_TOKEN and CLOUDFLARE_ZONE_ID, other locations keep their copies until they expire.
 */
import type { Env } from '../env';
import { sha256Hex } from '../security/crypto';

type ZoneEnv = Pick<Env, 'CLOUDFLARE_API_TOKEN' | 'CLOUDFLARE_ZONE_ID' | 'CLOUDFLARE_API_BASE'>;

const API_BASE = 'https://api.cloudflare.com/client/v4';

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
  if (!env.CLOUDFLARE_API_TOKEN || !env.CLOUDFLARE_ZONE_ID) return false;
  const [tenantTag, pathTag] = await cacheTags(tenantId, 'path' in target ? target.path : '');
  const tags = 'path' in target ? [pathTag] : [tenantTag];
  const response = await fetch(`${env.CLOUDFLARE_API_BASE || API_BASE}/zones/${encodeURIComponent(env.CLOUDFLARE_ZONE_ID)}/purge_cache`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${env.CLOUDFLARE_API_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ tags }),
  });
  const answer = (await response.json().catch(() => ({}))) as { success?: boolean; errors?: unknown[] };
  if (!response.ok || answer.success !== true) {
    throw new Error(`Cloudflare purge by tag answered ${response.status}: ${JSON.stringify(answer.errors ?? [])}`);
  }
  return true;
}
