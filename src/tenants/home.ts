/**
 * Finds a tenant's residency where only its id is at hand (storage/media.ts, durable/tenant-stub.ts). Callers
 * cannot know it synchronously everywhere (queue consumers, cron tasks and other objects have no request that
 * loaded the tenant), so the bucket and stubs built on it await this lookup, which is the config memo on every
 * request path.
 */
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { TENANT_ID } from './config';
import { DEFAULT_RESIDENCY, type Residency } from './residency';
import { loadTenant } from './store';

/**
 * Objects and logs of the platform itself (`#platform`, the lock of a hostname `domain:<hostname>`): their names
 * are no tenant id, and they are in the default jurisdiction.
 */
const isPlatformName = (name: string) => !TENANT_ID.test(name);

/** The residency of every tenant this isolate has seen, so an erase can still find its data after the config is gone. */
const lastSeen = new Map<string, Residency>();
const LAST_SEEN_CAPACITY = 10_000;

export function rememberResidency(tenantId: string, residency: Residency): void {
  if (lastSeen.size >= LAST_SEEN_CAPACITY && !lastSeen.has(tenantId)) lastSeen.delete(lastSeen.keys().next().value!);
  lastSeen.set(tenantId, residency);
}

/**
 * The tenant's residency, from its config (memoised per isolate by loadTenant, so on a request that already
 * found its tenant this costs nothing). A tenant without a config is one this isolate saw just before it was
 * erased, or none: then nothing is read or written anywhere.
 */
export async function residencyOf(env: Pick<Env, 'CONFIG'>, tenantId: string): Promise<Residency> {
  if (isPlatformName(tenantId)) return DEFAULT_RESIDENCY;
  const config = await loadTenant(env, tenantId);
  if (config) {
    rememberResidency(tenantId, config.residency);
    return config.residency;
  }
  const seen = lastSeen.get(tenantId);
  if (seen) return seen;
  throw new HttpError(404, `Tenant "${tenantId}" not found`, 'Check the tenant id.');
}

