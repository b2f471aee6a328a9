import { notFound } from '../../http/errors';
import { type PublishedFile, readPublished } from '../../library/published';
import type { Original } from '../../origins/types';
import type { ParsedContext, RecalledContext, Stage } from '../context';
import { findOriginal, VERSION_PARAM } from '../originals';

/** ImageKit's cache buster (milliseconds since the epoch): a record older than it is not trusted. */
const UPDATED_AT_PARAM = 'updatedAt';

/**
 * What the library last published about the file (src/library/published.ts), read from KV with an edge cache
 * TTL: enough to check privacy and name the variant, so a cache hit calls neither the tenant's object nor an
 * origin. URLs that pin a version, or carry an `updatedAt` newer than the record, skip it and are answered
 * exactly from the library.
 */
export const recallOriginal: Stage<ParsedContext, RecalledContext> = async (ctx) => {
  const query = new URL(ctx.request.url).searchParams;
  if (query.has(VERSION_PARAM)) return ctx;
  const published = await ctx.timing.time('origin', () => readPublished(ctx.env.CONFIG, ctx.tenant.id, `/${ctx.path}`));
  if (!published || Number(query.get(UPDATED_AT_PARAM)) > published.updatedAt) return ctx;
  return Object.assign(ctx, { recalled: publishedOriginal(ctx, published) });
};

/** The published file as an Original; its bytes, needed only on a miss or for `orig-true`, come from the library. */
function publishedOriginal(ctx: ParsedContext, published: PublishedFile): Original {
  const current = async () => {
    const found = await findOriginal(ctx, ctx.path);
    if (!found) throw notFound(`File "${ctx.path}"`);
    return found;
  };
  return {
    path: ctx.path,
    etag: published.versionId,
    size: published.size,
    contentType: published.mime,
    lastModified: new Date(published.updatedAt),
    isPrivate: published.isPrivate,
    bytes: async () => (await current()).bytes(),
    stream: async () => (await current()).stream(),
  };
}
