import { HttpError } from '../../http/errors';
import { loadTenant } from '../../tenants/store';
import type { RequestContext, Stage, TenantContext } from '../context';

/** The tenant the first path segment names (its config is a memoised KV read); an unknown tenant is a 404. */
export const findTenant: Stage<RequestContext, TenantContext> = async (ctx) => {
  const tenant = await loadTenant(ctx.env, ctx.tenantId);
  if (!tenant) {
    throw new HttpError(404, `Tenant "${ctx.tenantId}" not found`, 'The first path segment names the tenant.');
  }
  return Object.assign(ctx, { tenant });
};
