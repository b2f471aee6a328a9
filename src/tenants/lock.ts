import type { Env } from '../env';
import { tenantStub } from '../durable/tenant-stub';

/** Runs `work` holding the tenant's config lock (src/durable/tenant-lock.ts). */
export async function withTenantLock<T>(env: Pick<Env, 'TENANT_LOCK' | 'CONFIG'>, tenantId: string, work: () => Promise<T>): Promise<T> {
  const lock = tenantStub('TenantLock', env, env.TENANT_LOCK, tenantId);
  const token = await lock.acquire();
  try {
    return await work();
  } finally {
    await lock.release(token).catch((error: unknown) => console.error('tenant lock: release failed (the lease will run out)', error));
  }
}
