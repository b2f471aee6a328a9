import { HttpError } from '../../http/errors';
import { DEFAULT_ENDPOINT_ID } from '../../origins/config';
import { libraryOf } from '../../library/client';
import { findEndpoint, hasPrefix, originsFor } from '../../origins/build';
import { LibraryOrigin } from '../../origins/library';
import { loadTenant as readTenant } from '../../tenants/store';
import type { Stage } from '../context';
import { parseEndpointPath } from '../url';
import { parseRequest } from './parse-request';

/**
 * The tenant's config (memoised KV read) and its origins, in the order they are tried: the tenant's own files,
 * then the URL endpoint's origins. When the first path segment (before or after `tr:`) is one of the tenant's URL
 * endpoint prefixes, the request goes through that endpoint and the file path is what follows the prefix;
 * otherwise through the default endpoint.
 */
/** Pins a library file's older version: `?ik-obj-version=<versionId>`. */
export const VERSION_PARAM = 'ik-obj-version';

export const loadTenant: Stage = async (ctx) => {
  const tenant = await readTenant(ctx.env, ctx.tenantId);
  if (!tenant) {
    throw new HttpError(404, `Tenant "${ctx.tenantId}" not found`, 'The first path segment names the tenant.');
  }
  ctx.tenant = tenant;
  const url = new URL(ctx.request.url);
  const at = { env: ctx.env, tenant, requestHost: url.host };
  const versionId = url.searchParams.get(VERSION_PARAM) ?? undefined;
  const library = new LibraryOrigin(libraryOf(ctx.env, tenant.id), ctx.env.MEDIA, versionId);
  const prefixed = tenant.urlEndpoints.length > 0 ? parseEndpointPath(url) : undefined;
  const endpoint = prefixed && hasPrefix(tenant, prefixed.urlPrefix) ? findEndpoint(tenant, prefixed.urlPrefix) : undefined;
  if (prefixed && endpoint) {
    ctx.path = prefixed.path;
    if (prefixed.pathTransformation !== ctx.transformationText.path) {
      // `/<tenant>/<prefix>/tr:…/<path>`: the steps were read as part of the path before the prefix was known.
      ctx.transformationText = { ...ctx.transformationText, path: prefixed.pathTransformation };
      await parseRequest(ctx);
    }
    ctx.urlEndpoint = endpoint.id;
    ctx.origins = originsFor(library, endpoint, at);
    return;
  }
  ctx.urlEndpoint = DEFAULT_ENDPOINT_ID;
  ctx.origins = originsFor(library, findEndpoint(tenant, ''), at);
};
