/**
 * The stub of a tenant's Durable Object, in the tenant's jurisdiction (tenants/residency.ts). The clients
 * (library/client.ts, audit/record.ts, tenants/lock.ts, security/rate-limit.ts, people/client.ts,
 * video/jobs/client.ts) build theirs here rather than from `idFromName`, so no call of a tenant's reaches an
 * object outside its jurisdiction. The jurisdiction is looked up when a method is called (tenants/home.ts):
 * the clients stay synchronous to make, and a call made where no request loaded the tenant still goes home.
 */
import type { Env } from '../env';
import { residencyOf } from '../tenants/home';
import { jurisdictionUnavailable } from '../tenants/residency';
import { guardedStub, isTransient } from './guarded-stub';
import { objectIn } from './jurisdiction';

type Method = (...args: unknown[]) => Promise<unknown>;

export function tenantStub<T extends Rpc.DurableObjectBranded | undefined>(
  kind: string,
  env: Pick<Env, 'CONFIG'>,
  namespace: DurableObjectNamespace<T>,
  tenantId: string,
  name = tenantId,
): DurableObjectStub<T> {
  const lazy = new Proxy({} as Record<string, Method>, {
    get(_target, method) {
      if (typeof method !== 'string' || method === 'then') return undefined;
      return async (...args: unknown[]) => {
        const { jurisdiction } = await residencyOf(env, tenantId);
        const stub = objectIn(namespace, jurisdiction, name) as unknown as Record<string, Method>;
        try {
          return await stub[method]!(...args);
        } catch (error) {
          // An object's storage has no copy elsewhere: whatever the fallback, its region being down is a 503.
          if (jurisdiction !== 'default' && isTransient(error)) throw jurisdictionUnavailable(jurisdiction);
          throw error;
        }
      };
    },
  });
  return guardedStub(kind, lazy as unknown as DurableObjectStub<T>);
}
