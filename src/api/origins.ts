/**
 * `/v1/accounts/origins`: ImageKit's origins API (`client.accounts.origins` in `@imagekit/nodejs`).
 *
 *   GET    /v1/accounts/origins        200 [origin]
 *   POST   /v1/accounts/origins        201 origin
 *   GET    /v1/accounts/origins/:id    200 origin | 404
 *   PUT    /v1/accounts/origins/:id    200 origin | 404   (the whole origin; accessKey/secretKey may be left out to keep them)
 *   DELETE /v1/accounts/origins/:id    204 | 404 | 400 while a URL endpoint uses it
 *
 * Types: S3, S3_COMPATIBLE, WEB_FOLDER, WEB_PROXY; ImageKit's others are a 400 naming the type. Responses never
 * include accessKey or secretKey; both are stored encrypted with the MASTER_KEY, bound to the tenant id.
 * Reads need `settings: read`, writes `settings: read_write`; every write is audited.
 */
import type { IRequest, RouterType } from 'itty-router';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import {
  describeOrigin,
  endpointsOf,
  MAX_ORIGINS,
  newConfigId,
  type OriginInput,
  parseOriginBody,
  type StoredOrigin,
} from '../origins/config';
import { encryptSecret } from '../security/crypto';
import { policyFor } from '../security/ssrf';
import type { TenantConfig } from '../tenants/config';
import { readJsonObject } from './body';
import { ConfigCollection } from './config-collection';
import type { ApiContext } from './context';

const origins = new ConfigCollection({
  key: 'origins',
  path: '/v1/accounts/origins',
  kind: 'origin',
  describe: describeOrigin,
  notFound: (id) => new HttpError(404, `Origin "${id}" not found`, 'List the origins with GET /v1/accounts/origins.'),
  max: MAX_ORIGINS,
  full: () => new HttpError(400, `A tenant can have at most ${MAX_ORIGINS} origins`, 'Delete an origin you no longer use.'),
});

export function registerOriginRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  origins.register(router, { create: createOrigin, update: { method: 'put', handler: replaceOrigin }, remove: deleteOrigin });
}

/** The stored form of a validated body: secrets encrypted (or kept from `previous`), timestamps set. */
async function toStored(ctx: ApiContext, input: OriginInput, id: string, previous?: StoredOrigin): Promise<StoredOrigin> {
  const now = new Date().toISOString();
  const stamps = { id, createdAt: previous?.createdAt ?? now, updatedAt: now };
  if (input.type === 'S3' || input.type === 'S3_COMPATIBLE') {
    const { accessKey, secretKey, ...rest } = input;
    let accessKeyCiphertext: string;
    let secretKeyCiphertext: string;
    if (accessKey !== undefined && secretKey !== undefined) {
      accessKeyCiphertext = await encryptSecret(ctx.env.MASTER_KEY, accessKey, ctx.tenant.id);
      secretKeyCiphertext = await encryptSecret(ctx.env.MASTER_KEY, secretKey, ctx.tenant.id);
    } else if (previous && (previous.type === 'S3' || previous.type === 'S3_COMPATIBLE')) {
      ({ accessKeyCiphertext, secretKeyCiphertext } = previous);
    } else {
      throw new HttpError(400, 'accessKey and secretKey are required', 'Send both keys.');
    }
    return { ...rest, ...stamps, accessKeyCiphertext, secretKeyCiphertext } as StoredOrigin;
  }
  return { ...input, ...stamps } as StoredOrigin;
}

async function createOrigin(ctx: ApiContext): Promise<Response> {
  const input = parseOriginBody(await readJsonObject(ctx.request), policyFor(ctx.env));
  const stored = await toStored(ctx, input, newConfigId());
  return origins.create(ctx, stored.id, () => stored);
}

async function replaceOrigin(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  const previous = origins.find(ctx.tenant, params.id);
  const body = await readJsonObject(ctx.request);
  const keepsSecrets = (previous.type === 'S3' || previous.type === 'S3_COMPATIBLE') && body.type === previous.type;
  const input = parseOriginBody(body, policyFor(ctx.env), keepsSecrets);
  const stored = await toStored(ctx, input, previous.id, previous);
  return origins.update(ctx, previous.id, () => stored);
}

async function deleteOrigin(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  const id = origins.find(ctx.tenant, params.id).id;
  return origins.remove(ctx, id, (config) => refuseIfUsed(config, id));
}

/** An origin a URL endpoint still lists cannot go: delivery would skip it without a word. */
function refuseIfUsed(config: TenantConfig, id: string): void {
  const users = endpointsOf(config.urlEndpoints).filter((e) => e.origins.includes(id));
  if (users.length === 0) return;
  const names = users.map((e) => (e.urlPrefix ? `"${e.urlPrefix}" (${e.id})` : `the default endpoint (${e.id})`));
  throw new HttpError(
    400,
    `Origin "${id}" is used by the URL endpoint${users.length > 1 ? 's' : ''} ${names.join(', ')}`,
    'Remove it from those URL endpoints (PUT /v1/accounts/url-endpoints/:id) before deleting it.',
  );
}
