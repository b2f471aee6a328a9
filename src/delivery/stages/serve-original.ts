import type { ResolvedContext, Stage } from '../context';
import { variantHeaders } from '../headers';
import { notModified, notModifiedResponse } from '../conditional';
import { partialResponse, rangeOf, unsatisfiable } from '../ranges';
import { isUntransformed } from '../../transform/parse';
import { isOtherFile } from '../untouched';

/**
 * The original as stored, streamed from its origin without buffering: for `orig-true`, and for files that are no
 * image delivery reads (a video, a PDF, an SVG) when nothing asks to change them. A single Range is read as just
 * that range from storage (R2 reads only those bytes), and HEAD reads nothing at all.
 */
export const serveOriginal: Stage<ResolvedContext> = async (ctx) => {
  const { original } = ctx;
  const untouched =
    ctx.transformation.output.orig === true || (isUntransformed(ctx.transformation) && isOtherFile(original.contentType) && ctx.media.kind !== 'thumbnail');
  if (!untouched) return;
  ctx.timing.cache = 'bypass';
  const headers = variantHeaders(ctx, original.contentType ?? 'application/octet-stream');
  const etag = `"${original.etag}"`;
  headers.set('ETag', etag);
  headers.delete('Vary');
  headers.set('Accept-Ranges', 'bytes');
  if (notModified(ctx.request, original.etag, original.lastModified)) return notModifiedResponse(headers);
  // The library's size is that of the stored bytes. A network origin's HEAD may count encoded bytes, or none: its
  // files are streamed whole, their length left to the stream.
  const size = original.freshness ? 0 : original.size;
  const range = size > 0 ? rangeOf(ctx.request, size, { etag, lastModified: original.lastModified }) : { kind: 'whole' as const };
  if (range.kind === 'unsatisfiable') throw unsatisfiable(size);
  if (size > 0) headers.set('Content-Length', String(size));
  if (ctx.request.method === 'HEAD') return new Response(null, { headers });
  if (range.kind === 'part') {
    const body = await ctx.timing.time('origin', () => original.stream(range));
    return partialResponse(body, headers, range, size);
  }
  const body = await ctx.timing.time('origin', () => original.stream());
  return new Response(body, { headers });
};
