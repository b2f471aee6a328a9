/** The Worker's handle on a tenant's Accounts object: one per tenant, addressed by the tenant id. */
import type { Env } from '../env';
import { tenantStub } from '../durable/tenant-stub';

export function accountsOf(env: Pick<Env, 'ACCOUNTS' | 'CONFIG'>, tenantId: string) {
  return tenantStub('Accounts', env, env.ACCOUNTS, tenantId);
}
