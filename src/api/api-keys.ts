/**
 * `/v1/accounts/api-keys`: several key pairs per tenant with per-area permissions. A private key is shown
 * once, at creation. Deleting with `?delaySeconds=N` keeps the key valid N more seconds, for rotation.
 */
import type { IRequest, RouterType } from 'itty-router';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import {
  ACCESS_LEVELS,
  type AccessLevel,
  describeKey,
  exceedingArea,
  generateKey,
  isActive,
  levelOf,
  PERMISSION_AREAS,
  type Permissions,
  privateKeyIndex,
  publicKeyIndex,
} from '../security/keys';
import type { TenantConfig } from '../tenants/config';
import { badField, checkField, decimal, integer, isObject, oneOf, text } from '../validate/fields';
import { readJsonObject } from './body';
import type { ApiContext } from './context';
import { json, noContent } from './respond';
import { changeTenant, settingsRoute } from './tenant-route';

const MAX_ACTIVE_KEYS = 10;
const MAX_DELAY_SECONDS = 7 * 24 * 3600;

export function registerApiKeyRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get(
    '/v1/accounts/api-keys',
    settingsRoute('read', (ctx) => json(ctx.tenant.keys.filter((k) => isActive(k)).map(describeKey))),
  );
  router.post('/v1/accounts/api-keys', settingsRoute('read_write', createKey));
  router.delete('/v1/accounts/api-keys/:id', settingsRoute('read_write', deleteKey));
}

async function createKey(ctx: ApiContext): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  const name = checkField(body, 'name', text('a name of 1–100 characters', { max: 100, nonBlank: true }));
  const permissions = parsePermissions(body.permissions);
  // A key (or a user) can hand out at most what it holds itself.
  const over = exceedingArea(permissions, ctx.permissions);
  if (over) {
    throw new HttpError(403, `You cannot grant ${levelOf(permissions, over)} on ${over}: you hold ${levelOf(ctx.permissions, over)}.`, 'Use a key or a role with wider permissions.');
  }
  const { record, privateKey } = await generateKey(ctx.env.MASTER_KEY, ctx.tenant.id, name.trim(), permissions);
  await changeTenant(ctx, {
    action: 'api-key.create',
    target: `api-key:${record.id}`,
    apply(config) {
      pruneExpired(config);
      if (config.keys.filter((k) => isActive(k)).length >= MAX_ACTIVE_KEYS) {
        throw new HttpError(400, `A tenant can hold at most ${MAX_ACTIVE_KEYS} active keys`, 'Delete a key first.');
      }
      config.keys.push(record);
      return { result: undefined, after: describeKey(record) };
    },
  });
  const index = JSON.stringify({ tenantId: ctx.tenant.id, keyId: record.id });
  await ctx.env.CONFIG.put(privateKeyIndex(record.privateKeyHash), index);
  await ctx.env.CONFIG.put(publicKeyIndex(record.publicKey), index);
  return json({ ...describeKey(record), privateKey }, 201);
}

async function deleteKey(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  const delay = parseDelay(new URL(ctx.request.url).searchParams.get('delaySeconds'));
  const removed = await changeTenant(ctx, {
    action: 'api-key.delete',
    target: `api-key:${params.id}`,
    apply(config) {
      const key = config.keys.find((k) => k.id === params.id && isActive(k));
      if (!key) throw new HttpError(404, `API key "${params.id}" not found`, 'List keys with GET /v1/accounts/api-keys.');
      const others = config.keys.filter((k) => k !== key && isActive(k));
      if (others.length === 0) {
        throw new HttpError(400, 'The last active key cannot be deleted', 'Create a new key first, then delete this one.');
      }
      const before = describeKey(key);
      if (delay > 0) {
        key.expiresAt = new Date(Date.now() + delay * 1000).toISOString();
        return { result: undefined, before, after: describeKey(key) };
      }
      config.keys = config.keys.filter((k) => k !== key);
      return { result: key, before };
    },
  });
  if (removed) {
    await ctx.env.CONFIG.delete(privateKeyIndex(removed.privateKeyHash));
    await ctx.env.CONFIG.delete(publicKeyIndex(removed.publicKey));
  }
  return noContent();
}

function parsePermissions(value: unknown): Permissions {
  if (!isObject(value)) throw badField('permissions', 'an object with files, settings, audit and users');
  for (const key of Object.keys(value)) oneOf(PERMISSION_AREAS)(key, `permissions.${key}`);
  const permissions: Permissions = { files: 'none', settings: 'none', audit: 'none', users: 'none' };
  for (const area of PERMISSION_AREAS) {
    const level = value[area] ?? 'none';
    if (typeof level !== 'string' || !(ACCESS_LEVELS as readonly string[]).includes(level)) {
      throw badField(`permissions.${area}`, '"none", "read" or "read_write"');
    }
    permissions[area] = level as AccessLevel;
  }
  return permissions;
}

function parseDelay(text: string | null): number {
  if (text === null || text === '') return 0;
  return integer(0, MAX_DELAY_SECONDS)(decimal(text), 'delaySeconds');
}

/** Keys whose delay ran out are dropped from the config on the next key change; auth already refuses them. */
function pruneExpired(config: TenantConfig): void {
  config.keys = config.keys.filter((k) => isActive(k));
}
