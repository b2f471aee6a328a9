/**
 * `/v1/named-transformations`, as `@imagekit/nodejs` (resources/named-transformations.ts) calls it:
 *
 *   GET    /v1/named-transformations        → 200 [NamedTransformation]
 *   POST   /v1/named-transformations        {name, transformation, enabled?} → 201 NamedTransformation
 *   GET    /v1/named-transformations/:id    → 200 NamedTransformation | 404
 *   PATCH  /v1/named-transformations/:id    {name?, transformation?, enabled?} → 200 NamedTransformation
 *   DELETE /v1/named-transformations/:id    → 204
 *
 * NamedTransformation is `{id, name, transformation, enabled, createdAt}`. Names are `[A-Za-z0-9_]`, unique
 * (a taken name is a 409); a transformation must parse with the parameter table (a 400 names the bad
 * parameter). The built-in `ik_ml_thumbnail` is always listed and can be neither changed nor deleted.
 * Reads need `settings: read`, writes `settings: read_write`; every write is audited.
 */
import type { IRequest, RouterType } from 'itty-router';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { randomToken } from '../security/crypto';
import type { NamedTransformation, TenantConfig } from '../tenants/config';
import { isBuiltin, MAX_NAMED, NAME_PATTERN, namedTransformationsOf, validateNamedTransformation } from '../transform/named';
import { requirePermission } from './auth';
import { boolean, checkField, optional, text } from '../validate/fields';
import { readJsonObject } from './body';
import type { ApiContext } from './context';
import { json, noContent } from './respond';
import { changeTenant, tenantRoute } from './tenant-route';

const BASE = '/v1/named-transformations';
const NAME = text('1 to 100 letters, digits or underscores ([A-Za-z0-9_]), case-sensitive', { pattern: NAME_PATTERN });

export function registerNamedTransformationRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get(BASE, tenantRoute(list));
  router.post(BASE, tenantRoute(create));
  router.get(`${BASE}/:id`, tenantRoute(getOne));
  router.patch(`${BASE}/:id`, tenantRoute(update));
  router.delete(`${BASE}/:id`, tenantRoute(remove));
}

/** The API shape: ImageKit's fields only. */
function describe(named: NamedTransformation) {
  return {
    id: named.id,
    name: named.name,
    transformation: named.transformation,
    enabled: named.enabled,
    createdAt: named.createdAt,
  };
}

function list(ctx: ApiContext): Response {
  requirePermission(ctx, 'settings', 'read');
  return json(namedTransformationsOf(ctx.tenant).map(describe));
}

function getOne(ctx: ApiContext, params: Record<string, string>): Response {
  requirePermission(ctx, 'settings', 'read');
  return json(describe(find(ctx.tenant, params.id)));
}

async function create(ctx: ApiContext): Promise<Response> {
  requirePermission(ctx, 'settings', 'read_write');
  const body = await readJsonObject(ctx.request);
  const name = checkField(body, 'name', NAME);
  const transformation = validateNamedTransformation(body.transformation);
  const enabled = checkField(body, 'enabled', optional(boolean, true));
  const id = `nt_${randomToken(9)}`;
  const created = await changeTenant(ctx, {
    action: 'named-transformation.create',
    target: `named-transformation:${id}`,
    apply(config) {
      const stored = config.namedTransformations ?? [];
      if (stored.filter((n) => !isBuiltin(n)).length >= MAX_NAMED) {
        throw new HttpError(400, `An account can have at most ${MAX_NAMED} named transformations.`, 'Delete unused ones first.');
      }
      ensureNameFree(config, name);
      const now = new Date().toISOString();
      const named: NamedTransformation = {
        id,
        name,
        description: '',
        transformation,
        enabled,
        createdAt: now,
        updatedAt: now,
      };
      config.namedTransformations = [...stored, named];
      return { result: named, after: named };
    },
  });
  return json(describe(created), 201);
}

async function update(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  requirePermission(ctx, 'settings', 'read_write');
  const id = params.id ?? '';
  refuseBuiltin(ctx.tenant, id, 'changed');
  const body = await readJsonObject(ctx.request);
  const name = checkField(body, 'name', optional(NAME));
  const transformation = body.transformation === undefined ? undefined : validateNamedTransformation(body.transformation);
  const enabled = checkField(body, 'enabled', optional(boolean));
  const updated = await changeTenant(ctx, {
    action: 'named-transformation.update',
    target: `named-transformation:${id}`,
    apply(config) {
      const before = find(config, id);
      if (name !== undefined && name !== before.name) ensureNameFree(config, name);
      const after: NamedTransformation = {
        ...before,
        name: name ?? before.name,
        transformation: transformation ?? before.transformation,
        enabled: enabled ?? before.enabled,
        updatedAt: new Date().toISOString(),
      };
      config.namedTransformations = config.namedTransformations.map((n) => (n.id === id ? after : n));
      return { result: after, before, after };
    },
  });
  return json(describe(updated));
}

async function remove(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  requirePermission(ctx, 'settings', 'read_write');
  const id = params.id ?? '';
  refuseBuiltin(ctx.tenant, id, 'deleted');
  await changeTenant(ctx, {
    action: 'named-transformation.delete',
    target: `named-transformation:${id}`,
    apply(config) {
      const before = find(config, id);
      config.namedTransformations = config.namedTransformations.filter((n) => n.id !== id);
      return { result: undefined, before };
    },
  });
  return noContent();
}

function find(tenant: Pick<TenantConfig, 'namedTransformations'>, id: string | undefined): NamedTransformation {
  const named = namedTransformationsOf(tenant).find((n) => n.id === id);
  if (!named) {
    throw new HttpError(404, 'The requested named transformation does not exist.', 'List them with GET /v1/named-transformations.');
  }
  return named;
}

function refuseBuiltin(tenant: TenantConfig, id: string, what: string): void {
  const named = namedTransformationsOf(tenant).find((n) => n.id === id);
  if (named && isBuiltin(named)) {
    throw new HttpError(400, `The built-in named transformation "${named.name}" cannot be ${what}.`, 'Create a named transformation of your own instead.');
  }
}

function ensureNameFree(config: TenantConfig, name: string): void {
  if (namedTransformationsOf(config).some((n) => n.name === name)) {
    throw new HttpError(409, `A named transformation called "${name}" already exists.`, 'Names are unique within an account; choose another.', {
      'x-should-retry': 'false',
    });
  }
}
