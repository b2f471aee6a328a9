/**
 * Delivery, as one literal ordered list of small stages: the tenant, then the request read once with its config
 * (URL endpoint prefix, named transformations), then the checks, cheapest first; nothing is decoded before every
 * check has passed. A stage that returns a Response ends the request.
 */
import type { Env } from '../env';
import { errorResponse } from '../http/errors';
import { metered } from './bandwidth';
import type { RequestContext, TenantContext } from './context';
import { applyCors } from './cors';
import { finish } from './finish';
import { acceptClass } from './format';
import { MemoryHold } from './memory-gate';
import { redirectOnError } from './on-error';
import { checkAccess } from './stages/check-access';
import { checkPrivate } from './stages/check-private';
import { confirmOriginal } from './stages/confirm-original';
import { describeImage } from './stages/describe-image';
import { enforceQuota } from './stages/enforce-quota';
import { enforceWatermark } from './stages/enforce-watermark';
import { extractVideoFrame } from './stages/extract-video-frame';
import { findTenant } from './stages/find-tenant';
import { limitNewVariants } from './stages/limit-new-variants';
import { lookupCache } from './stages/lookup-cache';
import { parseRequest } from './stages/parse-request';
import { probeAndLimit } from './stages/probe-and-limit';
import { prepareTextLayers } from './stages/prepare-text-layers';
import { probeLayers } from './stages/probe-layers';
import { resolveLayers } from './stages/resolve-layers';
import { rateLimit } from './stages/rate-limit';
import { readOriginal } from './stages/read-original';
import { recallOriginal } from './stages/recall-original';
import { resolveOriginal } from './stages/resolve-original';
import { respond } from './stages/respond';
import { restrictUnnamed } from './stages/restrict-unnamed';
import { serveOriginal } from './stages/serve-original';
import { serveVideoTransform } from './stages/serve-video-transform';
import { transformImage } from './stages/transform-image';
import { trimVideo } from './stages/trim-video';
import { verifySignature } from './stages/verify-signature';
import { Timing } from './timing';
import type { DeliveryUrl } from './url';

/**
 * Each stage's type names the phase it needs (context.ts); this order is what gives it that phase, so a stage
 * that reads what another learns comes after it.
 */
export const DELIVERY: Array<(ctx: never) => Promise<unknown>> = [
  findTenant,
  parseRequest,
  checkAccess,
  rateLimit,
  verifySignature,
  restrictUnnamed,
  recallOriginal,
  resolveOriginal,
  checkPrivate,
  enforceWatermark,
  serveVideoTransform,
  serveOriginal,
  describeImage,
  resolveLayers,
  lookupCache,
  enforceQuota,
  limitNewVariants,
  confirmOriginal,
  readOriginal,
  trimVideo,
  extractVideoFrame,
  probeAndLimit,
  prepareTextLayers,
  probeLayers,
  transformImage,
  respond,
];

/** The context a delivery starts from: what the URL and headers say, before any stage ran. */
export function newDeliveryContext(request: Request, env: Env, exec: ExecutionContext, url: DeliveryUrl): RequestContext {
  return {
    request,
    env,
    exec,
    timing: new Timing(),
    tenantId: url.tenantId,
    url,
    attachment: url.attachment,
    acceptClass: acceptClass(request.headers.get('Accept')),
    signed: false,
    memory: new MemoryHold(),
  };
}

export async function deliver(request: Request, env: Env, exec: ExecutionContext, url: DeliveryUrl): Promise<Response> {
  const ctx = newDeliveryContext(request, env, exec, url);
  try {
    for (const stage of DELIVERY) {
      // Stages that learn something add it to this same context, so it grows into each phase in turn.
      const result = await stage(ctx as never);
      if (result instanceof Response) {
        return metered(request, finish(ctx as TenantContext, result), { env, exec, tenantId: ctx.tenantId });
      }
    }
    throw new Error('the delivery pipeline ended without a response');
  } catch (error) {
    const redirect = redirectOnError(ctx, error);
    if (redirect) return redirect;
    const response = errorResponse(error);
    response.headers.set('Server-Timing', ctx.timing.header());
    // A page may read why a request failed: the messages name the rule or limit, never a secret.
    const { tenant } = ctx as Partial<TenantContext>;
    if (tenant) applyCors(response.headers, tenant.settings.cors, request, false);
    return response;
  } finally {
    ctx.memory.release();
  }
}
