/**
 * Delivery, as one literal ordered list of small stages: cheapest checks first, nothing decoded before every
 * check has passed. A stage that returns a Response ends the request.
 */
import type { Env } from '../env';
import { errorResponse } from '../http/errors';
import { metered } from './bandwidth';
import type { DeliveryContext, Stage } from './context';
import { acceptClass } from './format';
import { checkAccess } from './stages/check-access';
import { checkPrivate } from './stages/check-private';
import { lookupCache } from './stages/lookup-cache';
import { loadTenant } from './stages/load-tenant';
import { parseRequest } from './stages/parse-request';
import { probeAndLimit } from './stages/probe-and-limit';
import { rateLimit } from './stages/rate-limit';
import { readOriginal } from './stages/read-original';
import { resolveNamed } from './stages/resolve-named';
import { resolveOriginal } from './stages/resolve-original';
import { respond } from './stages/respond';
import { serveOriginal } from './stages/serve-original';
import { transformImage } from './stages/transform-image';
import { verifySignature } from './stages/verify-signature';
import { Timing } from './timing';
import type { DeliveryUrl } from './url';

export const DELIVERY: Stage[] = [
  parseRequest,
  loadTenant,
  checkAccess,
  rateLimit,
  verifySignature,
  resolveNamed,
  resolveOriginal,
  checkPrivate,
  serveOriginal,
  lookupCache,
  readOriginal,
  probeAndLimit,
  transformImage,
  respond,
];

/** The context a delivery starts from: what the URL and headers say, before any stage ran. */
export function newDeliveryContext(request: Request, env: Env, exec: ExecutionContext, url: DeliveryUrl): DeliveryContext {
  return {
    request,
    env,
    exec,
    timing: new Timing(),
    tenantId: url.tenantId,
    path: url.path,
    transformationText: { path: url.pathTransformation, query: url.queryTransformation },
    transformation: { steps: [], output: {} },
    canonical: '',
    attachment: url.attachment,
    acceptClass: acceptClass(request.headers.get('Accept')),
  };
}

export async function deliver(request: Request, env: Env, exec: ExecutionContext, url: DeliveryUrl): Promise<Response> {
  const ctx = newDeliveryContext(request, env, exec, url);
  try {
    for (const stage of DELIVERY) {
      const response = await stage(ctx);
      if (response) return metered(request, response, { env, exec, tenantId: ctx.tenantId });
    }
    throw new Error('the delivery pipeline ended without a response');
  } catch (error) {
    const response = errorResponse(error);
    response.headers.set('Server-Timing', ctx.timing.header());
    return response;
  }
}
