import type { ResolvedContext, Stage } from '../context';
import { variantHeaders } from '../headers';

/** `orig-true` serves the original bytes untouched, streamed from the origin without buffering. */
export const serveOriginal: Stage<ResolvedContext> = async (ctx) => {
  if (ctx.transformation.output.orig !== true) return;
  const { original } = ctx;
  ctx.timing.cache = 'bypass';
  const body = await ctx.timing.time('origin', () => original.stream());
  const headers = variantHeaders(ctx, original.contentType ?? 'application/octet-stream');
  headers.set('ETag', `"${original.etag}"`);
  headers.delete('Vary');
  return new Response(body, { headers });
};
