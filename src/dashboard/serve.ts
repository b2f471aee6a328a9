/**
 * The dashboard: a single-page app built into `web/dist/app/` (scripts/build-dashboard.mjs) and served from the
 * Workers static assets binding under `/app/`. The Worker runs first for every request (`run_worker_first`), so
 * only `/app/...` ever reaches the assets: an image or API URL opened in a tab is never answered with the app.
 */
import type { Env } from '../env';
import { notFound } from '../http/errors';
import { withSecurityHeaders } from './headers';

export const DASHBOARD_PREFIX = '/app/';

/**
 * A file of the app, or the app's page for any other path under `/app/` (its client-side routes); a missing
 * file with an extension (`/app/assets/gone.js`) is a 404, never the page, so a stale script is not run as HTML.
 */
export async function serveDashboard(request: Request, env: Env): Promise<Response> {
  const url = new URL(request.url);
  // `/app` without its slash: the app lives under `/app/`.
  if (url.pathname === '/app') return new Response(null, { status: 308, headers: { Location: `${DASHBOARD_PREFIX}${url.search}` } });
  // Session and tenant calls under /app/api/ are the Worker's; an unknown one is a JSON 404, not the page.
  if (url.pathname.startsWith(`${DASHBOARD_PREFIX}api/`)) throw notFound('Route');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response(null, { status: 405, headers: { Allow: 'GET, HEAD' } });
  }
  // By URL and init rather than the Request itself: the router's request object is not a plain Request.
  const init = { method: request.method, headers: request.headers };
  let response = await env.ASSETS.fetch(url.toString(), init);
  if (response.status === 404 && !hasExtension(url.pathname)) response = await env.ASSETS.fetch(new URL(DASHBOARD_PREFIX, url).toString(), init);
  return withSecurityHeaders(response, url.pathname);
}

function hasExtension(path: string): boolean {
  return /\.[a-z0-9]+$/i.test(path.slice(path.lastIndexOf('/') + 1));
}
