/**
 * Dashboard sessions: a random token in an `HttpOnly; Secure; SameSite=Strict` cookie scoped to `/app/`, and a
 * server-side record (its digest) in the tenant's Accounts object with idle and absolute expiry. Every request
 * reads the record and the user as they are now, so a revoked session, a disabled user or a changed role takes
 * effect on the very next request.
 */
import type { Env } from '../env';
import type { UserRecord } from '../durable/accounts';
import { randomToken } from '../security/crypto';
import type { TenantConfig } from '../tenants/config';
import { loadTenant } from '../tenants/store';
import { accountsOf } from './client';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from './policy';
import { newTenantToken, tenantOfToken, tokenDigest } from './tokens';

export const SESSION_COOKIE = 'edgepix_session';
const COOKIE_ATTRIBUTES = 'Path=/app/; HttpOnly; Secure; SameSite=Strict';

export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${token}; ${COOKIE_ATTRIBUTES}; Max-Age=${SESSION_ABSOLUTE_MS / 1000}`;
}

export const clearedSessionCookie = () => `${SESSION_COOKIE}=; ${COOKIE_ATTRIBUTES}; Max-Age=0`;

export function readCookie(request: Request, name: string): string | null {
  for (const part of (request.headers.get('Cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export interface NewSession {
  token: string;
  csrfToken: string;
}

export async function startSession(env: Env, tenantId: string, userId: string, via: 'password' | 'sso'): Promise<NewSession> {
  const token = newTenantToken(tenantId);
  const csrfToken = randomToken(24);
  await accountsOf(env, tenantId).createSession({
    hash: await tokenDigest(token),
    id: `ses_${randomToken(9)}`,
    userId,
    csrf: csrfToken,
    via,
    absoluteMs: SESSION_ABSOLUTE_MS,
  });
  return { token, csrfToken };
}

export interface CurrentSession {
  tenant: TenantConfig;
  user: UserRecord;
  sessionId: string;
  csrfToken: string;
  tokenHash: string;
}

/** The live session the request's cookie names, or null. */
export async function currentSession(request: Request, env: Env): Promise<CurrentSession | null> {
  const token = readCookie(request, SESSION_COOKIE);
  const tenantId = tenantOfToken(token);
  if (!token || !tenantId) return null;
  const tenant = await loadTenant(env, tenantId);
  if (!tenant) return null;
  const tokenHash = await tokenDigest(token);
  const live = await accountsOf(env, tenantId).touchSession(tokenHash, SESSION_IDLE_MS);
  return live ? { tenant, user: live.user, sessionId: live.sessionId, csrfToken: live.csrf, tokenHash } : null;
}
