/**
 * `/v1/accounts/url-endpoints`: ImageKit's URL endpoints API (`client.accounts.urlEndpoints`).
 *
 *   GET    /v1/accounts/url-endpoints        200 [endpoint] — the default endpoint (id "default", urlPrefix "") first
 *   POST   /v1/accounts/url-endpoints        201 endpoint
 *   GET    /v1/accounts/url-endpoints/:id    200 endpoint | 404
 *   PUT    /v1/accounts/url-endpoints/:id    200 endpoint | 404
 *   DELETE /v1/accounts/url-endpoints/:id    204 | 404 | 400 for the default endpoint
 *
 * An endpoint is `{id, description, urlPrefix, origins}`: `urlPrefix` is one path segment of `[A-Za-z0-9_-]`,
 * unique in the tenant, and delivery URLs `/<tenant>/<urlPrefix>/<path>` go through it; `origins` are origin ids
 * tried in order after the tenant's own files. The default endpoint (no prefix) can be given origins too but not a
 * prefix, and cannot be deleted. `urlRewriter` is refused (URL rewriting is not supported).
 */
import type { IRequest, RouterType } from 'itty-router';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import {
  DEFAULT_ENDPOINT_ID,
  defaultEndpoint,
  describeEndpoint,
  type EndpointInput,
  endpointsOf,
  MAX_URL_ENDPOINTS,
  newConfigId,
  parseEndpointBody,
  type StoredUrlEndpoint,
  URL_PREFIX,
} from '../origins/config';
import type { TenantConfig } from '../tenants/config';
import { requirePermission } from './auth';
import { badField } from '../validate/fields';
import { readJsonObject } from './body';
import type { ApiContext } from './context';
import { json, noContent } from './respond';
import { changeTenant, tenantRoute } from './tenant-route';

export function registerUrlEndpointRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get(
    '/v1/accounts/url-endpoints',
    tenantRoute((ctx) => {
      requirePermission(ctx, 'settings', 'read');
      return json(endpointsOf(ctx.tenant.urlEndpoints).map(describeEndpoint));
    }),
  );
  router.post('/v1/accounts/url-endpoints', tenantRoute(createEndpoint));
  router.get(
    '/v1/accounts/url-endpoints/:id',
    tenantRoute((ctx, params) => {
      requirePermission(ctx, 'settings', 'read');
      return json(describeEndpoint(findEndpoint(ctx.tenant, params.id)));
    }),
  );
  router.put('/v1/accounts/url-endpoints/:id', tenantRoute(replaceEndpoint));
  router.delete('/v1/accounts/url-endpoints/:id', tenantRoute(deleteEndpoint));
}

function endpointNotFound(id: string | undefined): HttpError {
  return new HttpError(404, `URL endpoint "${id ?? ''}" not found`, 'List the URL endpoints with GET /v1/accounts/url-endpoints.');
}

function findEndpoint(config: TenantConfig, id: string | undefined): StoredUrlEndpoint {
  const endpoint = endpointsOf(config.urlEndpoints).find((e) => e.id === id);
  if (!endpoint) throw endpointNotFound(id);
  return endpoint;
}

/** Checks the parts of an endpoint that depend on the rest of the config: origin ids and prefix uniqueness. */
function checkAgainst(config: TenantConfig, input: EndpointInput, id: string, currentPrefix = ''): string {
  const missing = input.origins.filter((o) => !config.origins.some((origin) => origin.id === o));
  if (missing.length > 0) {
    throw badField('origins', `ids of existing origins (unknown: ${missing.map((m) => `"${m}"`).join(', ')})`);
  }
  if (id === DEFAULT_ENDPOINT_ID) {
    if (input.urlPrefix) throw badField('urlPrefix', 'empty for the default URL endpoint');
    return '';
  }
  // Left out of a PUT, the prefix stays what it was.
  const prefix = input.urlPrefix ?? currentPrefix;
  if (!URL_PREFIX.test(prefix)) {
    throw badField('urlPrefix', 'one non-empty path segment of letters, digits, "_" and "-" (up to 100 characters)');
  }
  const taken = config.urlEndpoints.find((e) => e.id !== id && e.urlPrefix === prefix);
  if (taken) {
    throw new HttpError(400, `The urlPrefix "${prefix}" is already used by URL endpoint ${taken.id}`, 'Choose another urlPrefix.');
  }
  return prefix;
}

async function createEndpoint(ctx: ApiContext): Promise<Response> {
  requirePermission(ctx, 'settings', 'read_write');
  const input = parseEndpointBody(await readJsonObject(ctx.request));
  const id = newConfigId();
  const view = await changeTenant(ctx, {
    action: 'url-endpoint.create',
    target: `url-endpoint:${id}`,
    apply(config) {
      const urlPrefix = checkAgainst(config, input, id);
      if (config.urlEndpoints.filter((e) => e.id !== DEFAULT_ENDPOINT_ID).length >= MAX_URL_ENDPOINTS) {
        throw new HttpError(400, `A tenant can have at most ${MAX_URL_ENDPOINTS} URL endpoints`, 'Delete one you no longer use.');
      }
      const stored: StoredUrlEndpoint = { id, description: input.description, urlPrefix, origins: input.origins };
      config.urlEndpoints.push(stored);
      const after = describeEndpoint(stored);
      return { result: after, after };
    },
  });
  return json(view, 201);
}

async function replaceEndpoint(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  requirePermission(ctx, 'settings', 'read_write');
  const id = findEndpoint(ctx.tenant, params.id).id;
  const input = parseEndpointBody(await readJsonObject(ctx.request));
  const view = await changeTenant(ctx, {
    action: 'url-endpoint.update',
    target: `url-endpoint:${id}`,
    apply(config) {
      const current = endpointsOf(config.urlEndpoints).find((e) => e.id === id);
      if (!current) throw endpointNotFound(id);
      const urlPrefix = checkAgainst(config, input, id, current.urlPrefix);
      const stored: StoredUrlEndpoint = { id, description: input.description, urlPrefix, origins: input.origins };
      const index = config.urlEndpoints.findIndex((e) => e.id === id);
      if (index === -1) config.urlEndpoints.push(stored);
      else config.urlEndpoints[index] = stored;
      const after = describeEndpoint(stored);
      return { result: after, before: describeEndpoint(current), after };
    },
  });
  return json(view);
}

async function deleteEndpoint(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  requirePermission(ctx, 'settings', 'read_write');
  const id = findEndpoint(ctx.tenant, params.id).id;
  if (id === DEFAULT_ENDPOINT_ID) {
    throw new HttpError(400, 'The default URL endpoint cannot be deleted', 'Update its origins instead (PUT with origins: []).');
  }
  await changeTenant(ctx, {
    action: 'url-endpoint.delete',
    target: `url-endpoint:${id}`,
    apply(config) {
      const index = config.urlEndpoints.findIndex((e) => e.id === id);
      if (index === -1) throw endpointNotFound(id);
      const [removed] = config.urlEndpoints.splice(index, 1);
      return { result: undefined, before: describeEndpoint(removed ?? defaultEndpoint()) };
    },
  });
  return noContent();
}
