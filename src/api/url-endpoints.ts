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
  describeEndpoint,
  type EndpointInput,
  endpointsOf,
  MAX_URL_ENDPOINTS,
  newConfigId,
  parseEndpointBody,
  URL_PREFIX,
} from '../origins/config';
import type { TenantConfig } from '../tenants/config';
import { badField } from '../validate/fields';
import { readJsonObject } from './body';
import { ConfigCollection } from './config-collection';
import type { ApiContext } from './context';

const endpoints = new ConfigCollection({
  key: 'urlEndpoints',
  path: '/v1/accounts/url-endpoints',
  kind: 'url-endpoint',
  listed: (config) => endpointsOf(config.urlEndpoints),
  builtIn: (endpoint) => endpoint.id === DEFAULT_ENDPOINT_ID,
  describe: describeEndpoint,
  notFound: (id) => new HttpError(404, `URL endpoint "${id}" not found`, 'List the URL endpoints with GET /v1/accounts/url-endpoints.'),
  max: MAX_URL_ENDPOINTS,
  full: () => new HttpError(400, `A tenant can have at most ${MAX_URL_ENDPOINTS} URL endpoints`, 'Delete one you no longer use.'),
});

export function registerUrlEndpointRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  endpoints.register(router, { create: createEndpoint, update: { method: 'put', handler: replaceEndpoint }, remove: deleteEndpoint });
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
  const input = parseEndpointBody(await readJsonObject(ctx.request));
  const id = newConfigId();
  return endpoints.create(ctx, id, (config) => ({
    id,
    description: input.description,
    urlPrefix: checkAgainst(config, input, id),
    origins: input.origins,
  }));
}

async function replaceEndpoint(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  const id = endpoints.find(ctx.tenant, params.id).id;
  const input = parseEndpointBody(await readJsonObject(ctx.request));
  return endpoints.update(ctx, id, (config, current) => ({
    id,
    description: input.description,
    urlPrefix: checkAgainst(config, input, id, current.urlPrefix),
    origins: input.origins,
  }));
}

async function deleteEndpoint(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  const id = endpoints.find(ctx.tenant, params.id).id;
  if (id === DEFAULT_ENDPOINT_ID) {
    throw new HttpError(400, 'The default URL endpoint cannot be deleted', 'Update its origins instead (PUT with origins: []).');
  }
  return endpoints.remove(ctx, id);
}
