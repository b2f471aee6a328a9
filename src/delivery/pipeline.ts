/**
 * Delivery, as one literal ordered list of small stages: the tenant, then the request read once with its config
 * (URL endpoint prefix, named transformations), then the checks, cheapest first; nothing is decoded before every
 * check has passed. A stage that returns a Response ends the request.
 */
import type { Env } from '../env';
import { errorResponse, HttpError } from '../http/errors';
import type { RefusalReason } from '../insight/event';
import { analyticsOff } from '../insight/record';
import { recordAnswer } from './analytics';
import { metered } from './bandwidth';
import type { RequestContext, TenantContext } from './context';
import { applyCors } from './cors';
import { finish } from './finish';
import { acceptClass } from './format';
import { MemoryHold } from './memory-gate';
import { redirectOnError } from './on-error';
import { blockPatterns } from './stages/block-patterns';
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
  blockPatterns,
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

/**
 * Why a delivery was refused, by the stage that refused it (with a 4xx, thrown or answered): what analytics
 * count as refusals. A new refusing stage adds its entry here.
 */
export const REFUSALS = new Map<(ctx: never) => Promise<unknown>, RefusalReason>([
  [blockPatterns, 'blocked'],
  [checkAccess, 'access'],
  [rateLimit, 'rate_limit'],
  [verifySignature, 'signature'],
  [restrictUnnamed, 'unnamed'],
  [checkPrivate, 'private'],
  [enforceQuota, 'quota'],
  [limitNewVariants, 'limit'],
  [probeAndLimit, 'limit'],
]);

/** The reason to record when `stage` ended the delivery with `status`: a refusal is a 4xx from a refusing stage. */
function refusalOf(stage: ((ctx: never) => Promise<unknown>) | undefined, status: number): RefusalReason {
  return stage && status >= 400 && status < 500 ? (REFUSALS.get(stage) ?? '') : '';
}

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
  const recording = !analyticsOff(env);
  let current: ((ctx: never) => Promise<unknown>) | undefined;
  try {
    for (const stage of DELIVERY) {
      current = stage;
      // Stages that learn something add it to this same context, so it grows into each phase in turn.
      const result = await stage(ctx as never);
      if (result instanceof Response) {
        const answer = finish(ctx as TenantContext, result);
        const refusal = refusalOf(stage, answer.status);
        const sent = recording ? (bytes: number) => recordAnswer(ctx, answer, bytes, refusal) : undefined;
        return metered(request, answer, { env, exec, tenantId: ctx.tenantId }, sent);
      }
    }
    throw new Error('the delivery pipeline ended without a response');
  } catch (error) {
    const refusal = refusalOf(current, error instanceof HttpError ? error.status : 500);
    const redirect = redirectOnError(ctx, error);
    if (redirect) {
      if (recording) recordAnswer(ctx, redirect, 0, refusal);
      return redirect;
    }
    const response = errorResponse(error);
    response.headers.set('Server-Timing', ctx.timing.header());
    // A page may read why a request failed: the messages name the rule or limit, never a secret.
    const { tenant } = ctx as Partial<TenantContext>;
    if (tenant) applyCors(response.headers, tenant.settings.cors, request, false);
    if (recording) recordAnswer(ctx, response, 0, refusal);
    return response;
  } finally {
    ctx.memory.release();
  }
}
