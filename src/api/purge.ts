/**
 * ImageKit's cache purge API (`client.cache.invalidation` in `@imagekit/nodejs`):
 *
 *   POST /v1/files/purge              {url} → 201 {requestId}
 *   GET  /v1/files/purge/:requestId   → 200 {status: "Pending" | "Completed"} | 404
 *
 * The URL is a delivery URL of the tenant; its transformations are ignored and every variant of its file is
 * purged, or of every file under it when it ends in `*`. The purge runs after the answer, in waitUntil.
 */
import type { IRequest, RouterType } from 'itty-router';
import { purgeVariants, type PurgeTarget } from '../cache/purge';
import { parseEndpointPath } from '../delivery/url';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { hasPrefix } from '../origins/build';
import { badField } from '../validate/fields';
import { readJsonObject } from './body';
import { ownDeliveryUrl } from './delivery-url';
import { auditLibrary, type LibraryContext, libraryRoute } from './library-route';
import { json } from './respond';

export function registerPurgeRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.post(
    '/v1/files/purge',
    libraryRoute('read_write', async (ctx) => {
      const body = await readJsonObject(ctx.request);
      if (typeof body.url !== 'string') throw badField('url', 'the delivery URL to purge');
      return json({ requestId: await startPurge(ctx, body.url) }, 201);
    }),
  );
  router.get(
    '/v1/files/purge/:requestId',
    libraryRoute('read', async (ctx, params) => {
      const purge = await ctx.library.purge(params.requestId!);
      if (!purge) throw new HttpError(404, 'No purge request found with this requestId', 'Use the requestId the purge request answered.');
      return json({ status: purge.status });
    }),
  );
}

/**
 * Validates `url`, records the purge request, purges in the background and marks the request Completed
 * when done. Answers the request id. Also what renames with `purgeCache` call.
 */
export async function startPurge(ctx: LibraryContext, url: string): Promise<string> {
  const target = purgeTarget(ctx, url);
  const purge = await ctx.library.newPurge(url);
  await auditLibrary(ctx, 'cache.purge', url);
  ctx.exec.waitUntil(
    purgeVariants(ctx.env, ctx.tenant.id, target)
      .then(() => ctx.library.completePurge(purge.id))
      // The request stays Pending: it did not complete.
      .catch((error) => console.error(`purge ${purge.id} failed`, error)),
  );
  return purge.id;
}

/** The file path the URL delivers (after a URL endpoint's prefix, as delivery reads it); a trailing `*` makes it a prefix. */
function purgeTarget(ctx: LibraryContext, href: string): PurgeTarget {
  const { url, delivery } = ownDeliveryUrl(ctx, href);
  const prefixed = parseEndpointPath(url);
  const path = prefixed && hasPrefix(ctx.tenant, prefixed.urlPrefix) ? prefixed.path : delivery.path;
  return path.endsWith('*') ? { prefix: path.slice(0, -1) } : { path };
}
