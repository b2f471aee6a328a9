/**
 * CORS for the tenant API (`/v1/…`, `/api/…`), which browsers call from the dashboard and from pages that upload.
 * Every call authenticates with an explicit header (Basic with a private key) or a signed upload token, never with
 * cookies, so opening the API to any origin gives a page nothing it did not already hold.
 */

const API_METHODS = 'GET, POST, PUT, PATCH, DELETE';
/** Sent when a preflight names no headers, or names something that is not a header name. */
const API_HEADERS = 'Authorization, Content-Type';
/** Headers of API answers that scripts may read (the request id, and what a 429 says). */
const API_EXPOSED = 'x-ik-requestId, Retry-After, X-RateLimit-Limit, X-RateLimit-Reset, X-RateLimit-Interval';
const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;

export const isApiPath = (path: string) => path.startsWith('/v1/') || path.startsWith('/api/');

/** The answer to an API preflight: the methods, the headers asked for (Authorization among them), a day's max-age. */
export function apiPreflight(request: Request): Response {
  const asked = request.headers.get('Access-Control-Request-Headers')?.trim() ?? '';
  const headers = HEADER_LIST.test(asked) ? `${API_HEADERS}, ${asked}` : API_HEADERS;
  return new Response(null, {
    status: 204,
    headers: {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': API_METHODS,
      'Access-Control-Allow-Headers': headers,
      'Access-Control-Max-Age': '86400',
      'Cache-Control': 'no-store',
    },
  });
}

/** Marks an API answer readable from any origin. */
export function withApiCors(headers: Headers): void {
  headers.set('Access-Control-Allow-Origin', '*');
  headers.set('Access-Control-Expose-Headers', API_EXPOSED);
}
