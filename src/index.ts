/**
 * The Worker entry: routes the platform's own paths (health, operator and tenant APIs) and sends everything
 * else to delivery as `/<tenant>/...` (or through Cloudflare's door, `/cdn-cgi/image/<options>/<tenant>/...`).
 */
import './codecs/wasm/bundled';
import './text/bundled-font';
import { AutoRouter, type IRequest } from 'itty-router';
import { registerApiKeyRoutes } from './api/api-keys';
import { registerBackupRoutes } from './api/backup';
import { appApiDoor } from './api/app-door';
import { registerAppAuthRoutes } from './api/app-auth';
import { registerAppRecoveryRoutes } from './api/app-recovery';
import { registerAppSsoRoutes } from './api/app-sso';
import { registerSsoSettingsRoutes } from './api/sso-settings';
import { registerAnalyticsRoutes } from './api/analytics';
import { registerAuditLogRoutes } from './api/audit-logs';
import { registerCustomMetadataFieldRoutes } from './api/custom-metadata-fields';
import { registerDomainRoutes } from './api/domains';
import { registerFileMetadataRoutes } from './api/file-metadata';
import { registerFileVersionRoutes } from './api/file-versions';
import { registerMediaRoutes } from './api/media-routes';
import { registerNamedTransformationRoutes } from './api/named-transformations';
import { registerOperatorRoutes } from './api/operator';
import { registerOperatorBlockingRoutes } from './api/operator-blocking';
import { registerBlockingRuleRoutes } from './api/blocking-rules';
import { registerOriginRoutes } from './api/origins';
import { registerPurgeRoutes } from './api/purge';
import { registerSettingsRoutes } from './api/settings';
import { registerUploadRoutes } from './api/upload';
import { registerUrlEndpointRoutes } from './api/url-endpoints';
import { registerWebhookRoutes } from './api/webhook';
import { registerUsageRoutes } from './api/usage';
import { registerAlertRoutes } from './api/alerts';
import { serveDashboard } from './dashboard/serve';
import { registerUserRoutes } from './api/users';
import { registerExportRoutes } from './api/exports';
import { registerTranscoderCallbackRoutes } from './api/transcoder-callbacks';
import { registerVideoJobRoutes } from './api/video-jobs';
import { registerIncidentRoutes } from './api/incidents';
import { registerStatusPageRoutes } from './api/status-page';
import { deliver } from './delivery/pipeline';
import { readDeliveryUrl } from './delivery/cdn-cgi';
import { preflight } from './delivery/preflight';
import type { Env } from './env';
import { apiPreflight, isApiPath, withApiCors } from './http/cors';
import { errorResponse, HttpError, notFound } from './http/errors';
import { RESERVED_IDS } from './tenants/config';
import { tenantOfHost } from './tenants/domains';
import { consumeQueue } from './platform/queues';
import { runScheduled } from './platform/scheduled';

const router = AutoRouter<IRequest, [Env, ExecutionContext]>({
  catch: errorResponse,
  missing: () => errorResponse(notFound('Route')),
  finally: [withNoSniff],
});

/**
 * Every response, from any route, tells browsers not to guess content types; API responses carry a request
 * id, as ImageKit's do (`x-ik-requestId`).
 */
function withNoSniff(response: Response, request: IRequest): Response {
  // Responses read from the cache have immutable headers.
  const out = new Response(response.body, response);
  out.headers.set('X-Content-Type-Options', 'nosniff');
  const path = new URL(request.url).pathname;
  if (isApiPath(path)) {
    out.headers.set('x-ik-requestId', crypto.randomUUID());
    withApiCors(out.headers);
  }
  return out;
}

// Browsers ask before calling the tenant API from a page (the dashboard, uploads); see src/http/cors.ts.
router.options('/v1/*', apiPreflight);
router.options('/api/*', apiPreflight);
router.get('/healthz', () => Response.json({ ok: true }, { headers: { 'Cache-Control': 'no-store' } }));
registerOperatorRoutes(router);
registerOperatorBlockingRoutes(router);
registerBlockingRuleRoutes(router);
registerDomainRoutes(router);
registerSettingsRoutes(router);
registerApiKeyRoutes(router);
registerAuditLogRoutes(router);
registerNamedTransformationRoutes(router);
registerOriginRoutes(router);
registerUrlEndpointRoutes(router);
registerWebhookRoutes(router);
registerUploadRoutes(router);
registerMediaRoutes(router);
registerCustomMetadataFieldRoutes(router);
registerFileVersionRoutes(router);
registerPurgeRoutes(router);
registerUsageRoutes(router);
registerAlertRoutes(router);
registerAnalyticsRoutes(router);
registerFileMetadataRoutes(router);
registerUserRoutes(router);
registerExportRoutes(router);
registerSsoSettingsRoutes(router);
registerBackupRoutes(router);
// The dashboard's sign-in, then every tenant route above again under /app/api/ with its session (api/app-door.ts).
registerAppAuthRoutes(router);
registerAppRecoveryRoutes(router);
registerAppSsoRoutes(router);
router.all('/app/api/*', appApiDoor((request, env, exec) => router.fetch(request, env, exec)));

// The dashboard's pages and files; its API (/app/api/...) is routed above.
// itty matches `/app` and `/app/` alike; serveDashboard tells them apart.
router.all('/app', serveDashboard);
router.all('/app/*', serveDashboard);
registerVideoJobRoutes(router);
registerTranscoderCallbackRoutes(router);
// The public status page and the operator's incidents (GET /healthz above stays the cheap liveness check).
registerStatusPageRoutes(router);
registerIncidentRoutes(router);

router.all('*', (request, env, exec) => {
  allowDeliveryMethod(request);
  const url = readDeliveryUrl(new URL(request.url));
  if (!url || RESERVED_IDS.has(url.tenantId)) throw notFound('Route');
  return request.method === 'OPTIONS' ? preflight(request, env, url) : deliver(request, env, exec, url);
});

/**
 * A tenant's own hostname serves only its files, with no tenant segment in the path; the APIs stay on the
 * deployment's host (as ImageKit keeps them on api.imagekit.io).
 */
const tenantHost = AutoRouter<IRequest, [Env, ExecutionContext, string]>({
  catch: errorResponse,
  missing: () => errorResponse(notFound('Route')),
  finally: [withNoSniff],
});
tenantHost.all('*', (request, env, exec, tenantId) => {
  allowDeliveryMethod(request);
  const url = readDeliveryUrl(new URL(request.url), tenantId);
  if (!url) throw notFound('Route');
  return request.method === 'OPTIONS' ? preflight(request, env, url) : deliver(request, env, exec, url);
});

function allowDeliveryMethod(request: Request): void {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
  throw new HttpError(405, `${request.method} is not allowed on delivery URLs`, 'Use GET or HEAD.', { Allow: 'GET, HEAD, OPTIONS' });
}

export default {
  async fetch(request: Request, env: Env, exec: ExecutionContext): Promise<Response> {
    let tenantId: string | null;
    try {
      tenantId = await tenantOfHost(env, new URL(request.url).hostname);
    } catch (error) {
      return withNoSniff(errorResponse(error), request as IRequest);
    }
    return tenantId ? tenantHost.fetch(request, env, exec, tenantId) : router.fetch(request, env, exec);
  },
  // Every queue's consumer, by queue name (src/platform/queues.ts).
  queue: (batch, env) => consumeQueue(batch, env),
  // Cron Triggers (src/platform/scheduled.ts).
  scheduled: (controller, env, exec) => runScheduled(controller, env, exec),
} satisfies ExportedHandler<Env, unknown>;

export { Accounts } from './durable/accounts';
export { Analytics } from './durable/analytics';
export { AuditLog } from './durable/audit-log';
export { MediaLibrary } from './durable/media-library';
export { RateLimiter } from './durable/rate-limiter';
export { TenantLock } from './durable/tenant-lock';
export { VideoJobs } from './durable/video-jobs';
export { Exports } from './durable/exports';
export { TranscoderContainer } from './video/jobs/container';
export { StatusBoard } from './durable/status-board';
