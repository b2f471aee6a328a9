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
import type { TenantConfig } from '../tenants/config';
import { isBuiltin, MAX_NAMED, NAME_PATTERN, namedTransformationsOf, validateNamedTransformation } from '../transform/named';
import { boolean, checkField, optional, text } from '../validate/fields';
import { readJsonObject } from './body';
import { ConfigCollection } from './config-collection';
import type { ApiContext } from './context';

const NAME = text('1 to 100 letters, digits or underscores ([A-Za-z0-9_]), case-sensitive', { pattern: NAME_PATTERN });

const named = new ConfigCollection({
  key: 'namedTransformations',
  path: '/v1/named-transformations',
  kind: 'named-transformation',
  listed: namedTransformationsOf,
  builtIn: isBuiltin,
  // The API shape: ImageKit's fields only.
  describe: (entry) => ({
    id: entry.id,
    name: entry.name,
    transformation: entry.transformation,
    enabled: entry.enabled,
    createdAt: entry.createdAt,
  }),
  audited: (entry) => entry,
  notFound: () => new HttpError(404, 'The requested named transformation does not exist.', 'List them with GET /v1/named-transformations.'),
  max: MAX_NAMED,
  full: () => new HttpError(400, `An account can have at most ${MAX_NAMED} named transformations.`, 'Delete unused ones first.'),
});

export function registerNamedTransformationRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  named.register(router, { create, update: { method: 'patch', handler: update }, remove });
}

async function create(ctx: ApiContext): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  const name = checkField(body, 'name', NAME);
  const transformation = validateNamedTransformation(body.transformation);
  const enabled = checkField(body, 'enabled', optional(boolean, true));
  const id = `nt_${randomToken(9)}`;
  return named.create(ctx, id, (config) => {
    ensureNameFree(config, name);
    const now = new Date().toISOString();
    return { id, name, description: '', transformation, enabled, createdAt: now, updatedAt: now };
  });
}

async function update(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  const id = params.id ?? '';
  refuseBuiltin(ctx.tenant, id, 'changed');
  const body = await readJsonObject(ctx.request);
  const name = checkField(body, 'name', optional(NAME));
  const transformation = body.transformation === undefined ? undefined : validateNamedTransformation(body.transformation);
  const enabled = checkField(body, 'enabled', optional(boolean));
  return named.update(ctx, id, (config, before) => {
    if (name !== undefined && name !== before.name) ensureNameFree(config, name);
    return {
      ...before,
      name: name ?? before.name,
      transformation: transformation ?? before.transformation,
      enabled: enabled ?? before.enabled,
      updatedAt: new Date().toISOString(),
    };
  });
}

async function remove(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  const id = params.id ?? '';
  refuseBuiltin(ctx.tenant, id, 'deleted');
  return named.remove(ctx, id);
}

function refuseBuiltin(tenant: TenantConfig, id: string, what: string): void {
  const builtin = namedTransformationsOf(tenant).find((n) => n.id === id);
  if (builtin && isBuiltin(builtin)) {
    throw new HttpError(400, `The built-in named transformation "${builtin.name}" cannot be ${what}.`, 'Create a named transformation of your own instead.');
  }
}

function ensureNameFree(config: TenantConfig, name: string): void {
  if (namedTransformationsOf(config).some((n) => n.name === name)) {
    throw new HttpError(409, `A named transformation called "${name}" already exists.`, 'Names are unique within an account; choose another.', {
      'x-should-retry': 'false',
    });
  }
}
