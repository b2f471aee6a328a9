import { type Actor, type ClientInfo, clientInfo } from '../audit/actor';
import type { Env } from '../env';
import type { ApiKeyRecord } from '../security/keys';
import type { TenantConfig } from '../tenants/config';

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
