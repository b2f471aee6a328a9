/**
 * Certificates for tenants' hostnames in production: Cloudflare for SaaS issues one for every custom hostname
 * added to the zone through its API. With a zone configured (src/http/cloudflare-api.ts; the token needs SSL and
 * Certificates edit), a domain that becomes active is added and a removed one deleted; without one (local
 * development, or hostnames routed to the Worker some other way) nothing is sent.
 */
import { type ZoneEnv, zoneApi, zoneConfigured } from '../http/cloudflare-api';

/** Adds the hostname to the zone with a DV certificate validated over HTTP; answers its id, or undefined when not configured. */
export async function addCustomHostname(env: ZoneEnv, hostname: string): Promise<string | undefined> {
  if (!zoneConfigured(env)) return undefined;
  return (await zoneApi(env, 'POST', '/custom_hostnames', { hostname, ssl: { method: 'http', type: 'dv' } })).id;
}

export async function removeCustomHostname(env: ZoneEnv, id: string | undefined): Promise<void> {
  if (!zoneConfigured(env) || !id) return;
  await zoneApi(env, 'DELETE', `/custom_hostnames/${encodeURIComponent(id)}`);
}
