/**
 * Where a request's original is found: the tenant's media library (the version `?ik-obj-version=` pins, else the
 * current one), then the URL endpoint's origins, in order; and whether the request may see it. Asking the origins
 * is what a cache hit avoids (the stages recallOriginal and confirmOriginal decide when it is needed); every answer
 * an origin gives with a freshness is recorded for this location (src/cache/original-records.ts).
 */
import { writeRecord } from '../cache/original-records';
import { HttpError, notFound } from '../http/errors';
import { libraryOf } from '../library/client';
import { findEndpoint, originsFor } from '../origins/build';
import { LibraryOrigin } from '../origins/library';
import type { Original, Origin } from '../origins/types';
import type { ParsedContext } from './context';
import { SIGNING_HELP } from './stages/verify-signature';
import { deliveryMedia } from './media';

/** Pins a library file's older version: `?ik-obj-version=<versionId>`. */
export const VERSION_PARAM = 'ik-obj-version';

/** The original at `path` in the first origin that has it, or null. */
export async function findOriginal(ctx: ParsedContext, path: string): Promise<Original | null> {
  for (const origin of originsOf(ctx)) {
    const found = await origin.get(path);
    if (found) return found;
  }
  return null;
}

/** The requested file, else the `di` default image; a 404 when neither exists. Recorded when the origin allows. */
export async function findRequested(ctx: ParsedContext): Promise<Original> {
  const fallback = ctx.transformation.output.di;
  const original =
    (await ctx.timing.time('origin', () => findOriginal(ctx, ctx.path))) ??
    (fallback ? await ctx.timing.time('origin', () => findOriginal(ctx, fallback)) : null);
  if (!original) throw notFound(`File "${ctx.path}"`);
  if (original.freshness) {
    const recorded = writeRecord(ctx.tenantId, recordScope(ctx), ctx.path, original);
    ctx.exec.waitUntil(recorded.catch((error) => console.error('recording an original failed', error)));
  }
  return original;
}

/**
 * An Original known from a record (what the library published, what an origin said): enough to check privacy and
 * name the variant. Its bytes, needed only on a miss or for `orig-true`, are fetched from where the file is now.
 */
export function recordedOriginal(ctx: ParsedContext, known: Omit<Original, 'bytes' | 'stream'>): Original {
  const current = async () => {
    const found = await findOriginal(ctx, known.path);
    if (!found) throw notFound(`File "${ctx.path}"`);
    return found;
  };
  return { ...known, bytes: async () => (await current()).bytes(), stream: async (range) => (await current()).stream(range) };
}

/** The origins a path of this request resolves through, as configured now: records of other configs never apply. */
export function recordScope(ctx: ParsedContext): string {
  const endpoint = findEndpoint(ctx.tenant, ctx.urlPrefix);
  const origins = (endpoint?.origins ?? []).map((id) => {
    const origin = ctx.tenant.origins.find((o) => o.id === id);
    return `${id}@${origin?.updatedAt ?? ''}`;
  });
  return [endpoint?.id ?? '', ...origins].join(' ');
}

/**
 * Private files need a valid signature, unless the transformation is made of named transformations only
 * (ImageKit: "named transformations work without a signature").
 */
export function assertMayServe(ctx: ParsedContext, original: Original): void {
  if (!original.isPrivate || ctx.signed || ctx.namedOnly) return;
  throw new HttpError(401, 'This file is private: its URL must be signed, or use a named transformation.', SIGNING_HELP);
}

/** An original larger than the tenant's maxInputBytes is refused from its stored size, before it is read. */
export function assertReadable(ctx: ParsedContext, original: Original): void {
  const limit = ctx.tenant.settings.limits.maxInputBytes;
  if (original.size <= limit) return;
  throw new HttpError(
    413,
    `The original is ${original.size} bytes; this tenant's limit (maxInputBytes) is ${limit}`,
    'Upload a smaller file or raise limits.maxInputBytes in the tenant settings.',
  );
}

function originsOf(ctx: ParsedContext): Origin[] {
  const url = new URL(ctx.request.url);
  const versionId = url.searchParams.get(VERSION_PARAM) ?? undefined;
  const library = new LibraryOrigin(libraryOf(ctx.env, ctx.tenant.id), deliveryMedia(ctx), versionId);
  return originsFor(library, findEndpoint(ctx.tenant, ctx.urlPrefix), { env: ctx.env, tenant: ctx.tenant, requestHost: url.host });
}
