import { memo } from '../cache/memo';
import type { Env } from '../env';
import { tenantConfigKey, type TenantConfig, withDefaults } from './config';

// A config change is seen by other isolates within a few seconds.
const configs = memo<Promise<TenantConfig | null>>({ ttlMs: 5_000, capacity: 10_000 });

/** The tenant's config, or null when no such tenant exists; memoised per isolate for a few seconds. */
export function loadTenant(env: Pick<Env, 'CONFIG'>, id: string, now = Date.now()): Promise<TenantConfig | null> {
  return configs.get(id, () => readTenant(env, id), now);
}

async function readTenant(env: Pick<Env, 'CONFIG'>, id: string): Promise<TenantConfig | null> {
  const stored = await env.CONFIG.get<Parameters<typeof withDefaults>[0]>(tenantConfigKey(id), 'json');
  return stored ? withDefaults({ ...stored, id }) : null;
}

/** Reads the stored config directly, bypassing the memo: for writers, which must start from the latest. */
export async function readTenantFresh(env: Pick<Env, 'CONFIG'>, id: string): Promise<TenantConfig | null> {
  configs.delete(id);
  return loadTenant(env, id);
}

export async function saveTenant(env: Env, config: TenantConfig): Promise<void> {
  // createdAt rides along as metadata so the operator's tenant list needs no read per tenant.
  await env.CONFIG.put(tenantConfigKey(config.id), JSON.stringify(config), { metadata: { createdAt: config.createdAt } });
  configs.set(config.id, Promise.resolve(config));
}

/** Drops the memo (tests, and writers that must see their own change at once). */
export function forgetTenant(id: string): void {
  configs.delete(id);
}

/** Every stored tenant, page by page from KV (the creation time rides along as the key's metadata). */
export async function* storedTenants(env: Pick<Env, 'CONFIG'>): AsyncGenerator<{ id: string; createdAt: string }> {
  const prefix = tenantConfigKey('');
  let cursor: string | undefined;
  do {
    const page = await env.CONFIG.list<{ createdAt?: string }>({ prefix, cursor });
    for (const key of page.keys) yield { id: key.name.slice(prefix.length), createdAt: key.metadata?.createdAt ?? '' };
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
}
