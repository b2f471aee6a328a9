import { nearestVariant } from '../../cache/nearest-variant';
import { readVariant } from '../../cache/variant-store';
import { HttpError } from '../../http/errors';
import { countAgainst } from '../../security/rate-limit';
import type { KeyedContext, Stage } from '../context';
import { variantHeaders } from '../headers';
import { extensionOf } from '../mime';
import { wantedVariant } from '../variant-shape';
import { deliveryMedia } from '../media';

const HOUR = 3_600_000;

/** How long a stand-in may be kept: once the hour turns, the exact variant may be made. */
const STAND_IN_MAX_AGE = 3600;

/**
 * The tenant's budget of new variants per original per hour (`variants.newPerOriginalPerHour`), a defence against
 * URLs that flood the cache (`w-1` … `w-4000`). It runs only after the cache missed, so a hit touches nothing, and
 * before the origin is asked anything, so a flood costs the origin nothing either; each miss counts once in the
 * RateLimiter's sliding window for its original's path. Beyond the budget the nearest stored
 * variant of the same original and shape is served, or, with `overBudget: "refuse"` or none to serve, a 429.
 */
export const limitNewVariants: Stage<KeyedContext> = async (ctx) => {
  const { newPerOriginalPerHour: budget, overBudget } = ctx.tenant.settings.variants;
  if (!budget) return;
  const decision = await countAgainst(ctx.env, ctx.tenantId, 'variants', ctx.original.path, budget, HOUR);
  if (decision.allowed) return;
  if (overBudget === 'nearest') {
    const standIn = await nearestVariant(deliveryMedia(ctx), ctx.tenantId, ctx.original.path, await wantedVariant(ctx));
    const response = standIn && (await serveStandIn(ctx, standIn));
    if (response) return response;
  }
  throw new HttpError(
    429,
    `This file has had its ${budget} new variants for this hour`,
    'Ask for a size already served (or within the account\'s allowed sizes), or retry after Retry-After seconds.',
    { 'Retry-After': String(Math.ceil(decision.resetMs / 1000)) },
  );
};

async function serveStandIn(ctx: KeyedContext, key: string): Promise<Response | null> {
  const hit = await ctx.timing.time('origin', () => readVariant(deliveryMedia(ctx), { tenantId: ctx.tenantId, path: ctx.original.path, key }));
  if (!hit) return null;
  ctx.timing.cache = 'nearest';
  const headers = variantHeaders({ ...ctx, variantKey: key }, hit.contentType, extensionOf(hit.contentType));
  const maxAge = Math.min(ctx.tenant.settings.cacheMaxAgeSeconds, STAND_IN_MAX_AGE);
  headers.set('Cache-Control', `${ctx.original.isPrivate || ctx.signed ? 'private' : 'public'}, max-age=${maxAge}`);
  if (hit.size !== null) headers.set('Content-Length', String(hit.size));
  return new Response(hit.body, { headers });
}
