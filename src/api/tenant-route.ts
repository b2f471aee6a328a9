/**
 * The frame of every tenant API route: authenticate the key, apply the tenant's API rate limit, build the
 * context, check the key's access; and the one way routes change a tenant's config: read fresh, change, save,
 * audit.
 */
import type { IRequest } from 'itty-router';
import type { Actor, ClientInfo } from '../audit/actor';
import { recordAudit } from '../audit/record';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import type { AccessLevel, PermissionArea } from '../security/keys';
import { enforceRateLimit } from '../security/rate-limit';
import type { TenantConfig } from '../tenants/config';
import { withTenantLock } from '../tenants/lock';
import { readTenantFresh, saveTenant } from '../tenants/store';
import { authenticateKey, requirePermission } from './auth';
import { type ApiContext, keyContext, userContext } from './context';
import { sessionOf } from './app-door';

export type TenantHandler = (ctx: ApiContext, params: Record<string, string>) => Promise<Response> | Response;

export function tenantRoute(handler: TenantHandler) {
  return async (request: IRequest, env: Env, exec: ExecutionContext): Promise<Response> => {
    const ctx = await authenticate(request, env, exec);
    const perMinute = ctx.tenant.settings.rateLimit.apiPerKeyPerMinute;
    if (perMinute) await enforceRateLimit(env, ctx.tenant.id, 'api', ctx.key?.id ?? `user:${ctx.user!.id}`, perMinute);
    return handler(ctx, request.params);
  };
}

/** The caller: the signed-in user the dashboard's door attached, or else the API key of the Basic header. */
export async function authenticate(request: Request, env: Env, exec: ExecutionContext): Promise<ApiContext> {
  const session = sessionOf(request);
  if (session) return userContext(request, env, exec, session);
  const { tenant, key } = await authenticateKey(request, env);
  return keyContext(request, env, exec, tenant, key);
}

/** A tenant route for keys that hold at least `level` on `area`; anything less is a 403 before the handler runs. */
export function accessRoute(area: PermissionArea, level: Exclude<AccessLevel, 'none'>, handler: TenantHandler) {
  return tenantRoute((ctx, params) => {
    requirePermission(ctx, area, level);
    return handler(ctx, params);
  });
}

/** ImageKit's account settings access: read covers reading the account's configuration, read_write every change. */
export const settingsRoute = (level: Exclude<AccessLevel, 'none'>, handler: TenantHandler) => accessRoute('settings', level, handler);

export interface ConfigChange<T> {
  /** The audit action, e.g. `named-transformation.create`. */
  action: string;
  target: string;
  /**
   * Changes `config` in place and returns what the route answers with, plus the before/after values whose
   * digests go into the audit entry.
   */
  apply(config: TenantConfig): { result: T; before?: unknown; after?: unknown };
}

/**
 * Applies a change to the latest stored config (not the memoised one), saves it and records it in the audit
 * log, holding the tenant's lock so that concurrent changes are applied one after the other. The audit entry
 * is written after the save: an entry never describes a change that did not happen.
 */
export async function changeTenant<T>(ctx: ApiContext, change: ConfigChange<T>): Promise<T> {
  return changeTenantAs({ env: ctx.env, tenantId: ctx.tenant.id, actor: ctx.actor, client: ctx.client }, change, (config) => (ctx.tenant = config));
}

/** Who changes a tenant's config: a tenant's key (changeTenant) or the operator. */
export interface ConfigWriter {
  env: Env;
  tenantId: string;
  actor: Actor;
  client: ClientInfo;
}

/** changeTenant for any writer; `saved` sees the config as stored. */
export async function changeTenantAs<T>(who: ConfigWriter, change: ConfigChange<T>, saved?: (config: TenantConfig) => void): Promise<T> {
  return withTenantLock(who.env, who.tenantId, async () => {
    const config = await readTenantFresh(who.env, who.tenantId);
    if (!config) throw new HttpError(404, 'The tenant no longer exists.', 'It was deleted.');
    const { result, before, after } = change.apply(config);
    await saveTenant(who.env, config);
    saved?.(config);
    await recordAudit(who.env, config.id, { actor: who.actor, client: who.client, action: change.action, target: change.target, before, after });
    return result;
  });
}
