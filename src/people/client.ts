/** The Worker's handle on a tenant's Accounts object: one per tenant, addressed by the tenant id. */
import type { Env } from '../env';
import { guardedStub } from '../durable/guarded-stub';

export function accountsOf(env: Pick<Env, 'ACCOUNTS'>, tenantId: string) {
  return guardedStub('Accounts', env.ACCOUNTS.get(env.ACCOUNTS.idFromName(tenantId)));
}
