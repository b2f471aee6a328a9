/**
 * Calls to Cloudflare's API for the deployment's zone (purge by tag, custom hostnames), with the operator's token.
 * Optional everywhere: `zoneConfigured` is false without CLOUDFLARE_API_TOKEN and CLOUDFLARE_ZONE_ID, and callers
 * then skip what only the API can do. CLOUDFLARE_API_BASE points tests at a stand-in.
 */
import type { Env } from '../env';

export type ZoneEnv = Pick<Env, 'CLOUDFLARE_API_TOKEN' | 'CLOUDFLARE_ZONE_ID' | 'CLOUDFLARE_API_BASE'>;

const API_BASE = 'https://api.cloudflare.com/client/v4';

export const zoneConfigured = (env: ZoneEnv) => Boolean(env.CLOUDFLARE_API_TOKEN && env.CLOUDFLARE_ZONE_ID);

/** `method` on `/zones/<zone><path>`; answers the result, throws with Cloudflare's errors when it refuses. */
export async function zoneApi(env: ZoneEnv, method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ id?: string }> {
  const url = `${env.CLOUDFLARE_API_BASE || API_BASE}/zones/${encodeURIComponent(env.CLOUDFLARE_ZONE_ID ?? '')}${path}`;
  const response = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${env.CLOUDFLARE_API_TOKEN}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await response.json().catch(() => ({}))) as { success?: boolean; result?: { id?: string }; errors?: unknown[] };
  if (!response.ok || answer.success !== true) {
    throw new Error(`Cloudflare ${method} ${path} answered ${response.status}: ${JSON.stringify(answer.errors ?? [])}`);
  }
  return answer.result ?? {};
}
