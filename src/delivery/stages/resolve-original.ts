import { notFound } from '../../http/errors';
import { libraryOf } from '../../library/client';
import { findEndpoint, originsFor } from '../../origins/build';
import { LibraryOrigin } from '../../origins/library';
import type { Original, Origin } from '../../origins/types';
import type { ParsedContext, ResolvedContext, Stage } from '../context';

/** Pins a library file's older version: `?ik-obj-version=<versionId>`. */
const VERSION_PARAM = 'ik-obj-version';

/**
 * Finds the original's metadata (no body yet) in the tenant's origins, in the order they are tried: the tenant's
 * own files, then the URL endpoint's origins. A missing file falls back to the `di` default image, which gets the
 * same transformation.
 */
export const resolveOriginal: Stage<ParsedContext, ResolvedContext> = async (ctx) => {
  const origins = originsOf(ctx);
  const fallback = ctx.transformation.output.di;
  const original =
    (await ctx.timing.time('origin', () => findIn(origins, ctx.path))) ??
    (fallback ? await ctx.timing.time('origin', () => findIn(origins, fallback)) : null);
  if (!original) throw notFound(`File "${ctx.path}"`);
  return Object.assign(ctx, { original });
};

/** The tenant's media library (the version `?ik-obj-version=` pins, else the current one), then the endpoint's origins. */
function originsOf(ctx: ParsedContext): Origin[] {
  const url = new URL(ctx.request.url);
  const versionId = url.searchParams.get(VERSION_PARAM) ?? undefined;
  const library = new LibraryOrigin(libraryOf(ctx.env, ctx.tenant.id), ctx.env.MEDIA, versionId);
  return originsFor(library, findEndpoint(ctx.tenant, ctx.urlPrefix), { env: ctx.env, tenant: ctx.tenant, requestHost: url.host });
}

async function findIn(origins: Origin[], path: string): Promise<Original | null> {
  for (const origin of origins) {
    const found = await origin.get(path);
    if (found) return found;
  }
  return null;
}
