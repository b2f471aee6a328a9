import { coalescing } from '../../cache/in-flight';
import { ageOf, type OriginalRecord, readRecord } from '../../cache/original-records';
import { readPublished } from '../../library/published';
import type { Original } from '../../origins/types';
import type { ParsedContext, RecalledContext, Stage } from '../context';
import { findRequested, recordedOriginal, recordScope, VERSION_PARAM } from '../originals';

/** ImageKit's cache buster (milliseconds since the epoch): a record older than it is not trusted. */
const UPDATED_AT_PARAM = 'updatedAt';

/** Background revalidations running in this isolate: one per recorded path at a time. */
const revalidating = coalescing<Original>();

/**
 * What is known of the original without asking anyone: what the library last published (KV, with an edge cache
 * TTL), else what an origin last said here while it may be reused. Enough to check privacy and name the variant,
 * so a cache hit calls neither the tenant's object nor an origin. A stale record serves once more while it is
 * revalidated in the background; one past that is kept only as the answer for when the origin fails. URLs that
 * pin a version, or carry an `updatedAt` newer than what the library published, are answered exactly.
 */
export const recallOriginal: Stage<ParsedContext, RecalledContext> = async (ctx) => {
  const query = new URL(ctx.request.url).searchParams;
  if (query.has(VERSION_PARAM)) return ctx;
  const published = await ctx.timing.time('origin', () => readPublished(ctx.env.CONFIG, ctx.tenant.id, `/${ctx.path}`));
  if (published) {
    if (Number(query.get(UPDATED_AT_PARAM)) > published.updatedAt) return ctx;
    const { versionId, size, mime, isPrivate, updatedAt, customCoordinates } = published;
    const known = { path: ctx.path, etag: versionId, size, contentType: mime, isPrivate, lastModified: new Date(updatedAt), customCoordinates };
    return Object.assign(ctx, { recalled: recordedOriginal(ctx, known) });
  }
  const scope = recordScope(ctx);
  const record = await readRecord(ctx.tenantId, scope, ctx.path);
  if (!record) return ctx;
  const recalled = fromRecord(ctx, record);
  switch (ageOf(record)) {
    case 'fresh':
      return Object.assign(ctx, { recalled });
    case 'stale': {
      const refresh = revalidating(`${ctx.tenantId}\n${scope}\n${ctx.path}`, () => findRequested(ctx));
      ctx.exec.waitUntil(refresh.catch((error) => console.warn('revalidating an original failed', error)));
      return Object.assign(ctx, { recalled });
    }
    case 'stale-if-error':
      return Object.assign(ctx, { staleIfError: recalled });
    case 'expired':
      return ctx;
  }
};

function fromRecord(ctx: ParsedContext, record: OriginalRecord): Original {
  const lastModified = record.lastModified === undefined ? undefined : new Date(record.lastModified);
  return recordedOriginal(ctx, { ...record, lastModified });
}
