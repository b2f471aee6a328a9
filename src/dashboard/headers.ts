/**
 * What every dashboard response tells the browser: scripts, styles and connections only from this origin (no
 * inline script can run, so an injected tag does nothing), images also from `data:`/`blob:` for local previews,
 * never framed, no referrer leaving the origin. The hashed bundles under `/app/assets/` never change; the page
 * itself is revalidated so a new deployment is picked up at once.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function withSecurityHeaders(response: Response, path: string): Response {
  const out = new Response(response.body, response);
  out.headers.set('Content-Security-Policy', DASHBOARD_CSP);
  out.headers.set('X-Frame-Options', 'DENY');
  out.headers.set('Referrer-Policy', 'same-origin');
  out.headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  out.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  out.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  const immutable = path.startsWith('/app/assets/') && out.status === 200;
  out.headers.set('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  return out;
}
