import type { Env } from '../env';
import type { ApiKeyRecord } from '../security/keys';
import type { TenantConfig } from '../tenants/config';

/** Who is calling: an API key of a tenant, or the platform operator. */
export type Actor = { kind: 'key'; keyId: string } | { kind: 'operator' };

export function actorName(actor: Actor): string {
  return actor.kind === 'operator' ? 'operator' : `key:${actor.keyId}`;
}

/** An authenticated tenant API request. */
export interface ApiContext {
  request: Request;
  env: Env;
  exec: ExecutionContext;
  tenant: TenantConfig;
  key: ApiKeyRecord;
  actor: Actor;
  client: ClientInfo;
}

/** The context of a request made with one of a tenant's API keys. */
export function keyContext(request: Request, env: Env, exec: ExecutionContext, tenant: TenantConfig, key: ApiKeyRecord): ApiContext {
  return { request, env, exec, tenant, key, actor: { kind: 'key', keyId: key.id }, client: clientInfo(request) };
}

export interface ClientInfo {
  ip: string;
  country: string;
}

export function clientInfo(request: Request): ClientInfo {
  const cf = (request as Request & { cf?: { country?: string } }).cf;
  return { ip: request.headers.get('CF-Connecting-IP') ?? '', country: cf?.country ?? '' };
}
