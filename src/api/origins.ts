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
import { requirePermission } from './auth';
import { readJsonObject } from './body';
import type { ApiContext } from './context';
import { json, noContent } from './respond';
import { changeTenant, tenantRoute } from './tenant-route';

export function registerOriginRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get(
    '/v1/accounts/origins',
    tenantRoute((ctx) => {
      requirePermission(ctx, 'settings', 'read');
      return json(ctx.tenant.origins.map(describeOrigin));
    }),
  );
  router.post('/v1/accounts/origins', tenantRoute(createOrigin));
  router.get(
    '/v1/accounts/origins/:id',
    tenantRoute((ctx, params) => {
      requirePermission(ctx, 'settings', 'read');
      return json(describeOrigin(findOrigin(ctx.tenant, params.id)));
    }),
  );
  router.put('/v1/accounts/origins/:id', tenantRoute(replaceOrigin));
  router.delete('/v1/accounts/origins/:id', tenantRoute(deleteOrigin));
}

function originNotFound(id: string | undefined): HttpError {
  return new HttpError(404, `Origin "${id ?? ''}" not found`, 'List the origins with GET /v1/accounts/origins.');
}

function findOrigin(config: TenantConfig, id: string | undefined): StoredOrigin {
  const origin = config.origins.find((o) => o.id === id);
  if (!origin) throw originNotFound(id);
  return origin;
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
  requirePermission(ctx, 'settings', 'read_write');
  const input = parseOriginBody(await readJsonObject(ctx.request), policyFor(ctx.env));
  const stored = await toStored(ctx, input, newConfigId());
  const view = await changeTenant(ctx, {
    action: 'origin.create',
    target: `origin:${stored.id}`,
    apply(config) {
      if (config.origins.length >= MAX_ORIGINS) {
        throw new HttpError(400, `A tenant can have at most ${MAX_ORIGINS} origins`, 'Delete an origin you no longer use.');
      }
      config.origins.push(stored);
      const after = describeOrigin(stored);
      return { result: after, after };
    },
  });
  return json(view, 201);
}

async function replaceOrigin(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  requirePermission(ctx, 'settings', 'read_write');
  const previous = findOrigin(ctx.tenant, params.id);
  const body = await readJsonObject(ctx.request);
  const keepsSecrets = (previous.type === 'S3' || previous.type === 'S3_COMPATIBLE') && body.type === previous.type;
  const input = parseOriginBody(body, policyFor(ctx.env), keepsSecrets);
  const stored = await toStored(ctx, input, previous.id, previous);
  const view = await changeTenant(ctx, {
    action: 'origin.update',
    target: `origin:${previous.id}`,
    apply(config) {
      const index = config.origins.findIndex((o) => o.id === previous.id);
      if (index === -1) throw originNotFound(previous.id);
      const before = describeOrigin(config.origins[index]!);
      config.origins[index] = stored;
      const after = describeOrigin(stored);
      return { result: after, before, after };
    },
  });
  return json(view);
}

async function deleteOrigin(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  requirePermission(ctx, 'settings', 'read_write');
  findOrigin(ctx.tenant, params.id);
  await changeTenant(ctx, {
    action: 'origin.delete',
    target: `origin:${params.id}`,
    apply(config) {
      const index = config.origins.findIndex((o) => o.id === params.id);
      if (index === -1) throw originNotFound(params.id);
      const users = endpointsOf(config.urlEndpoints).filter((e) => e.origins.includes(params.id!));
      if (users.length > 0) {
        const names = users.map((e) => (e.urlPrefix ? `"${e.urlPrefix}" (${e.id})` : `the default endpoint (${e.id})`));
        throw new HttpError(
          400,
          `Origin "${params.id}" is used by the URL endpoint${users.length > 1 ? 's' : ''} ${names.join(', ')}`,
          'Remove it from those URL endpoints (PUT /v1/accounts/url-endpoints/:id) before deleting it.',
        );
      }
      const [removed] = config.origins.splice(index, 1);
      return { result: undefined, before: describeOrigin(removed!) };
    },
  });
  return noContent();
}
