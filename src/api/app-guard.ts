/**
 * What guards the dashboard's cookie-authenticated calls: the session, the same-origin check and the CSRF token.
 * A cookie is sent by the browser on its own, so a write must also prove it comes from the dashboard's page:
 * SameSite=Strict keeps the cookie off cross-site requests, the Origin header must be this deployment's, and
 * `X-CSRF-Token` must be the session's token (which only a page that read `/app/api/auth/session` knows).
 */
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { currentSession, type CurrentSession } from '../people/sessions';
import { ROLE_PERMISSIONS } from '../people/roles';
import { constantTimeEqual } from '../security/crypto';
import { countAgainst } from '../security/rate-limit';
import { IP_ATTEMPTS } from '../people/policy';
import { clientInfo } from '../audit/actor';

const forbidden = (message: string, help: string) => new HttpError(403, message, help);

/** 403 unless the request carries an Origin header naming this deployment. */
export function requireSameOrigin(request: Request): void {
  const origin = request.headers.get('Origin');
  if (!origin || origin !== new URL(request.url).origin) {
    throw forbidden('Cross-origin request refused', 'The dashboard calls its API from its own origin only.');
  }
}

export function isWrite(request: Request): boolean {
  return request.method !== 'GET' && request.method !== 'HEAD';
}

/** 403 unless a write carries the session's CSRF token (and the same-origin Origin). */
export function requireCsrf(request: Request, session: CurrentSession): void {
  requireSameOrigin(request);
  const token = request.headers.get('X-CSRF-Token') ?? '';
  if (!constantTimeEqual(token, session.csrfToken)) {
    throw forbidden('The CSRF token is missing or wrong', 'Send X-CSRF-Token with the csrfToken of GET /app/api/auth/session.');
  }
}

export const signedOut = () => new HttpError(401, 'You are not signed in', 'Sign in at /app/.');

/** The request's live session, or a 401. */
export async function requireSession(request: Request, env: Env): Promise<CurrentSession> {
  const session = await currentSession(request, env);
  if (!session) throw signedOut();
  return session;
}

/** What `POST mfa` and `GET session` answer: who is signed in, where, with what rights, and the CSRF token. */
export function sessionBody(session: Pick<CurrentSession, 'tenant' | 'user' | 'csrfToken'>) {
  const { user } = session;
  return {
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
    tenant: session.tenant.id,
    permissions: ROLE_PERMISSIONS[user.role],
    csrfToken: session.csrfToken,
  };
}

/** Counts a sign-in attempt of the request's IP on a tenant (passwords, codes, resets); 429 beyond the budget. */
export async function countSignInAttempt(request: Request, env: Env, tenantId: string): Promise<void> {
  const ip = clientInfo(request).ip || 'unknown';
  const decision = await countAgainst(env, tenantId, 'sign-in', ip, IP_ATTEMPTS.limit, IP_ATTEMPTS.intervalMs);
  if (!decision.allowed) {
    throw new HttpError(429, 'Too many sign-in attempts from this address', 'Wait for Retry-After seconds.', {
      'Retry-After': String(Math.ceil(decision.resetMs / 1000)),
    });
  }
}
