/**
 * Authentication of the APIs: HTTP Basic with a tenant's private key as the username (ImageKit's SDKs send
 * an empty password or `do_not_set`; the password is ignored), and a bearer token for the operator.
 */
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { constantTimeEqual, sha256Hex } from '../security/crypto';
import {
  type AccessLevel,
  type ApiKeyRecord,
  holds,
  isActive,
  type KeyIndexEntry,
  type PermissionArea,
  privateKeyIndex,
} from '../security/keys';
import type { TenantConfig } from '../tenants/config';
import { loadTenant } from '../tenants/store';
import type { ApiContext } from './context';

const UNAUTHENTICATED = () =>
  new HttpError(401, 'Your account cannot be authenticated.', 'Send HTTP Basic auth with a private key as the username.', {
    'WWW-Authenticate': 'Basic realm="edgepix"',
  });

/** The tenant and key behind a Basic auth header, or a 401. */
export async function authenticateKey(
  request: Request,
  env: Env,
): Promise<{ tenant: TenantConfig; key: ApiKeyRecord }> {
  const privateKey = basicUsername(request.headers.get('Authorization'));
  if (!privateKey) throw UNAUTHENTICATED();
  const hash = await sha256Hex(privateKey);
  const entry = await env.CONFIG.get<KeyIndexEntry>(privateKeyIndex(hash), 'json');
  if (!entry) throw UNAUTHENTICATED();
  const tenant = await loadTenant(env, entry.tenantId);
  const key = tenant?.keys.find((k) => k.id === entry.keyId);
  if (!tenant || !key || !constantTimeEqual(key.privateKeyHash, hash) || !isActive(key)) throw UNAUTHENTICATED();
  return { tenant, key };
}

function basicUsername(header: string | null): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  let decoded: string;
  try {
    decoded = atob(match[1]!);
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(':');
  const username = colon === -1 ? decoded : decoded.slice(0, colon);
  return username || undefined;
}

/** 403 unless the calling key (or the signed-in user's role) holds at least `level` on `area`. */
export function requirePermission(ctx: ApiContext, area: PermissionArea, level: Exclude<AccessLevel, 'none'>): void {
  if (!holds(ctx.permissions, area, level)) {
    const who = ctx.actor.kind === 'user' ? 'Your role' : 'This API key';
    throw new HttpError(
      403,
      `${who} does not have ${level === 'read' ? 'read' : 'read and write'} access to ${area}.`,
      ctx.actor.kind === 'user'
        ? 'Ask an owner or admin for a role with that access.'
        : `Use a key whose permissions.${area} is ${level === 'read' ? '"read" or "read_write"' : '"read_write"'}.`,
    );
  }
}

/** 401 unless the request carries the operator's bearer token. */
export function requireOperator(request: Request, env: Env): void {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('Authorization') ?? '');
  if (!env.PLATFORM_ADMIN_TOKEN || !match || !constantTimeEqual(match[1]!, env.PLATFORM_ADMIN_TOKEN)) {
    throw new HttpError(401, 'The operator token is missing or wrong.', 'Send Authorization: Bearer <PLATFORM_ADMIN_TOKEN>.', {
      'WWW-Authenticate': 'Bearer realm="edgepix-admin"',
    });
  }
}
