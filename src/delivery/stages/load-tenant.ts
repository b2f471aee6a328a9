import { HttpError } from '../../http/errors';
import { R2Origin } from '../../origins/r2';
import { loadTenant as readTenant } from '../../tenants/store';
import type { Stage } from '../context';

/** The tenant's config (memoised KV read) and its origins, in the order they are tried. */
export const loadTenant: Stage = async (ctx) => {
  const tenant = await readTenant(ctx.env, ctx.tenantId);
  if (!tenant) {
    throw new HttpError(404, `Tenant "${ctx.tenantId}" not found`, 'The first path segment names the tenant.');
  }
  ctx.tenant = tenant;
  ctx.origins = [new R2Origin(ctx.env.MEDIA, tenant.id)];
};
