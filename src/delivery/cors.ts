/**
 * CORS for delivered files, from the tenant's `cors.allowOrigins`: `*` lets any page read public files; a list of
 * origins is matched against the request's `Origin`, which is echoed back with `Vary: Origin`. Private files are
 * never opened to `*`, only to origins named in the list. `Timing-Allow-Origin` goes with it, so a page can read
 * Server-Timing from its resource timings.
 */
import type { CorsSettings } from '../tenants/config';

/** Headers a page's JavaScript may read beyond the CORS-safelisted ones. */
const EXPOSED = 'Content-Range, Content-Length, ETag, Server-Timing, Accept-Ranges';

/** The methods and request headers a delivery preflight allows (Range and the conditional and client-hint headers). */
const PREFLIGHT = {
  'Access-Control-Allow-Methods': 'GET, HEAD',
  'Access-Control-Allow-Headers': 'Range, If-Range, If-None-Match, If-Modified-Since, Accept, Sec-CH-Width, Width, Sec-CH-DPR, DPR',
  'Access-Control-Max-Age': '86400',
};

/** The allowed origin for this request: `*`, the request's own origin, or null (no CORS headers). */
export function allowedOrigin(cors: CorsSettings, requestOrigin: string | null, isPrivate: boolean): string | null {
  if (!isPrivate && cors.allowOrigins.includes('*')) return '*';
  const origin = requestOrigin?.toLowerCase();
  return origin && cors.allowOrigins.includes(origin) ? requestOrigin : null;
}

/** Adds the CORS headers of a delivered response. */
export function applyCors(headers: Headers, cors: CorsSettings, request: Request, isPrivate: boolean): void {
  const allowed = allowedOrigin(cors, request.headers.get('Origin'), isPrivate);
  // The answer depends on Origin whenever the list names origins (even when this one did not match).
  if (allowed !== '*' && cors.allowOrigins.some((o) => o !== '*')) appendVary(headers, 'Origin');
  if (!allowed) return;
  headers.set('Access-Control-Allow-Origin', allowed);
  headers.set('Access-Control-Expose-Headers', EXPOSED);
  headers.set('Timing-Allow-Origin', allowed);
}

/** The answer to a delivery preflight (OPTIONS): 204, allowed or not (a refused one simply lacks the headers). */
export function deliveryPreflight(cors: CorsSettings, request: Request): Response {
  const headers = new Headers({ 'Cache-Control': 'no-store' });
  const allowed = allowedOrigin(cors, request.headers.get('Origin'), false);
  if (allowed !== '*' && cors.allowOrigins.some((o) => o !== '*')) appendVary(headers, 'Origin');
  if (allowed) {
    headers.set('Access-Control-Allow-Origin', allowed);
    for (const [name, value] of Object.entries(PREFLIGHT)) headers.set(name, value);
  }
  return new Response(null, { status: 204, headers });
}

/** Adds `names` to Vary, once each. */
export function appendVary(headers: Headers, ...names: string[]): void {
  const current = (headers.get('Vary') ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  const lower = new Set(current.map((v) => v.toLowerCase()));
  for (const name of names) if (!lower.has(name.toLowerCase())) current.push(name);
  if (current.length > 0) headers.set('Vary', current.join(', '));
}
