/**
 * What HTTP adds to every answer a delivery stage gives, whichever stage gave it: Last-Modified, the canonical
 * link, Vary on the client hints the transformation read, CORS, the sandbox policy, and then the request's own
 * conditions: 304 for a validator that still matches, 206/416 for a Range, no body for HEAD. Stages that can do
 * better than slicing a whole body (serveOriginal reads only the range from storage) answer 206 themselves.
 */
import { errorResponse } from '../http/errors';
import { guardActiveContent } from './active-content';
import { canonicalLink } from './canonical';
import { httpDate, notModified, notModifiedResponse } from './conditional';
import type { ResolvedContext, TenantContext } from './context';
import { applyCors, appendVary } from './cors';
import { sliceStream } from '../http/byte-range';
import { partialResponse, rangeOf, unsatisfiable } from './ranges';

/** The client hints delivery reads (w-auto, dpr-auto): browsers send them to this origin once it asks. */
export const ACCEPT_CH = 'Sec-CH-Width, Sec-CH-DPR, Width, DPR';

/** A context from any phase: every response comes after findTenant; later phases add the original and the path. */
type Finishing = TenantContext & Partial<Pick<ResolvedContext, 'original' | 'path' | 'hintHeaders' | 'urlPrefix'>>;

export function finish(ctx: Finishing, response: Response): Response {
  const { request } = ctx;
  const headers = new Headers(response.headers);
  const { original } = ctx;
  if (original?.lastModified && !headers.has('Last-Modified')) headers.set('Last-Modified', httpDate(original.lastModified));
  if (original && ctx.path !== undefined) {
    const link = canonicalLink(ctx as ResolvedContext);
    if (link) headers.set('Link', link);
  }
  if (ctx.hintHeaders?.length) appendVary(headers, ...ctx.hintHeaders);
  headers.set('Accept-CH', ACCEPT_CH);
  applyCors(headers, ctx.tenant.settings.cors, request, original?.isPrivate ?? false);
  guardActiveContent(headers, ctx.path ?? ctx.url.path);
  if (response.status !== 200) return bodyFor(request, response, headers);

  headers.set('Accept-Ranges', 'bytes');
  const etag = headers.get('ETag');
  if (notModified(request, etag?.replaceAll('"', '') ?? null, original?.lastModified)) {
    void response.body?.cancel();
    return notModifiedResponse(headers);
  }
  const length = headers.get('Content-Length');
  if (response.body && length !== null && /^\d+$/.test(length)) {
    const size = Number(length);
    const range = rangeOf(request, size, { etag, lastModified: original?.lastModified });
    if (range.kind === 'unsatisfiable') {
      void response.body.cancel();
      const refused = errorResponse(unsatisfiable(size));
      applyCors(refused.headers, ctx.tenant.settings.cors, request, original?.isPrivate ?? false);
      return refused;
    }
    if (range.kind === 'part') return partialResponse(sliceStream(response.body, range), headers, range, size);
  }
  return bodyFor(request, response, headers);
}

/** The response with these headers; for HEAD without its body (the headers, Content-Length included, stay those of the GET). */
function bodyFor(request: Request, response: Response, headers: Headers): Response {
  if (request.method === 'HEAD' && response.body) {
    void response.body.cancel();
    return new Response(null, { status: response.status, statusText: response.statusText, headers });
  }
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
