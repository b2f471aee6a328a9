import type { Env } from '../env';
import { guardedStub } from '../durable/guarded-stub';

/** Runs `work` holding the tenant's config lock (src/durable/tenant-lock.ts). */
export async function withTenantLock<T>(env: Pick<Env, 'TENANT_LOCK'>, tenantId: string, work: () => Promise<T>): Promise<T> {
  const lock = guardedStub('TenantLock', env.TENANT_LOCK.get(env.TENANT_LOCK.idFromName(tenantId)));
  const token = await lock.acquire();
  try {
    return await work();
  } finally {
    await lock.release(token).catch((error: unknown) => console.error('tenant lock: release failed (the lease will run out)', error));
  }
}
