/** The Worker's handle on a tenant's Exports object (src/durable/exports.ts): one per tenant, in its jurisdiction. */
import { tenantStub } from '../durable/tenant-stub';
import type { Env } from '../env';

export const exportsOf = (env: Pick<Env, 'EXPORT_JOBS' | 'CONFIG'>, tenantId: string) => tenantStub('Exports', env, env.EXPORT_JOBS, tenantId);
