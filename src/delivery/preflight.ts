import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { loadTenant } from '../tenants/store';
import { deliveryPreflight } from './cors';
import type { DeliveryUrl } from './url';

/** A browser's CORS preflight (OPTIONS) for a delivery URL, answered from the tenant's CORS setting alone. */
export async function preflight(request: Request, env: Env, url: DeliveryUrl): Promise<Response> {
  const tenant = await loadTenant(env, url.tenantId);
  if (!tenant) throw new HttpError(404, `Tenant "${url.tenantId}" not found`, 'The first path segment names the tenant.');
  return deliveryPreflight(tenant.settings.cors, request);
}
