/**
 * Conditional GET and HEAD (RFC 9110 §13.2.2): `If-None-Match` decides whenever it is present; only without it
 * does `If-Modified-Since` count, against the original's Last-Modified.
 */
import { matchesEtag } from './headers';

/** `key` is the entity tag without quotes; `lastModified` what Last-Modified says, when known. */
export function notModified(request: Request, key: string | null, lastModified: Date | undefined): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (request.headers.has('If-None-Match')) return key !== null && matchesEtag(request, key);
  const since = request.headers.get('If-Modified-Since');
  if (!since || !lastModified) return false;
  const date = Date.parse(since);
  // HTTP dates have whole seconds: a file changed within the second given still counts as not modified.
  return !Number.isNaN(date) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(date / 1000);
}

/** The 304 for a response that would have carried `headers`: validators and caching kept, content headers dropped. */
export function notModifiedResponse(headers: Headers): Response {
  for (const name of ['Content-Type', 'Content-Length', 'Content-Disposition', 'Content-Range']) headers.delete(name);
  return new Response(null, { status: 304, headers });
}

/** Last-Modified as HTTP writes it (IMF-fixdate). */
export const httpDate = (date: Date) => date.toUTCString();
