import { type Actor, type ClientInfo, clientInfo } from '../audit/actor';
import type { Env } from '../env';
import type { ApiKeyRecord, Permissions } from '../security/keys';
import type { TenantConfig } from '../tenants/config';
import { ROLE_PERMISSIONS, type Role } from '../people/roles';
import type { CurrentSession } from '../people/sessions';

/** An authenticated tenant API request: made with an API key, or by a signed-in user through `/app/api/`. */
export interface ApiContext {
  request: Request;
  env: Env;
  exec: ExecutionContext;
  tenant: TenantConfig;
  /** The key that authenticated the request; null when a user's session did. */
  key: ApiKeyRecord | null;
  /** The signed-in user and their role, when a session authenticated the request. */
  user: { id: string; role: Role } | null;
  /** What the caller may do: the key's permissions, or those of the user's role as it is now. */
  permissions: Permissions;
  actor: Actor;
  client: ClientInfo;
}

/** The context of a request made with one of a tenant's API keys. */
export function keyContext(request: Request, env: Env, exec: ExecutionContext, tenant: TenantConfig, key: ApiKeyRecord): ApiContext {
  return {
    request,
    env,
    exec,
    tenant,
    key,
    user: null,
    permissions: key.permissions,
    actor: { kind: 'key', keyId: key.id },
    client: clientInfo(request),
  };
}

/** The context of a request a signed-in user made through the dashboard's door (src/api/app-door.ts). */
export function userContext(request: Request, env: Env, exec: ExecutionContext, session: CurrentSession): ApiContext {
  const { user } = session;
  return {
    request,
    env,
    exec,
    tenant: session.tenant,
    key: null,
    user: { id: user.id, role: user.role },
    permissions: ROLE_PERMISSIONS[user.role],
    actor: { kind: 'user', userId: user.id },
    client: clientInfo(request),
  };
}
