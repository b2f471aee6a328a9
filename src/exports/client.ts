/** The Worker's handle on a tenant's Exports object (src/durable/exports.ts): one per tenant. */
import { guardedStub } from '../durable/guarded-stub';
import type { Env } from '../env';

export const exportsOf = (env: Pick<Env, 'EXPORT_JOBS'>, tenantId: string) =>
  guardedStub('Exports', env.EXPORT_JOBS.get(env.EXPORT_JOBS.idFromName(tenantId)));
