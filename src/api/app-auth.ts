/**
 * The dashboard's sign-in (`/app/api/auth/…`): email and password, then a code emailed on every sign-in, then a
 * session cookie. Failures are counted per user (a lock with an emailed notice) and per IP; every step is in the
 * tenant's audit log.
 */
import type { IRequest, RouterType } from 'itty-router';
import { type Actor, clientInfo } from '../audit/actor';
import { recordAudit } from '../audit/record';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { codeMail, lockoutMail } from '../mail/messages';
import { mailerFor } from '../mail/mailer';
import { accountsOf } from '../people/client';
import { email as emailField } from '../people/fields';
import { burnPasswordTime, verifyPassword } from '../people/passwords';
import { CODE_DIGITS, CODE_MAX_ATTEMPTS, CODE_TTL_MS, LOCK_POLICY } from '../people/policy';
import { clearedSessionCookie, sessionCookie, startSession } from '../people/sessions';
import { newTenantToken, randomDigits, tenantOfToken, tokenDigest } from '../people/tokens';
import { sha256Hex } from '../security/crypto';
import { loadTenant } from '../tenants/store';
import { checkField, text } from '../validate/fields';
import { readJsonObject } from './body';
import { countSignInAttempt, requireCsrf, requireSameOrigin, requireSession, sessionBody } from './app-guard';
import { json } from './respond';
import { currentSession } from '../people/sessions';
import type { TenantConfig } from '../tenants/config';

const wrongCredentials = () => new HttpError(401, 'The email or password is wrong', 'Check both, or reset your password.');
const lockedOut = (until: number) =>
  new HttpError(429, 'Too many failed attempts: sign-in is locked for a while', 'Wait, or reset your password; a notice was emailed.', {
    'Retry-After': String(Math.max(1, Math.ceil((until - Date.now()) / 1000))),
  });

export function registerAppAuthRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.post('/app/api/auth/login', login);
  router.post('/app/api/auth/mfa', verifyCode);
  router.get('/app/api/auth/session', async (request: IRequest, env: Env) => json(sessionBody(await requireSession(request, env))));
  router.post('/app/api/auth/logout', logout);
  router.post('/app/api/auth/logout-all', logoutEverywhere);
}

const codeDigest = (challenge: string, code: string) => sha256Hex(`code:${challenge}:${code}`);

async function login(request: IRequest, env: Env): Promise<Response> {
  requireSameOrigin(request);
  const body = await readJsonObject(request);
  const tenantId = checkField(body, 'tenant', text('a tenant id', { max: 63, nonBlank: true }));
  const address = checkField(body, 'email', emailField);
  const password = checkField(body, 'password', text('a password', { max: 256 }));
  const tenant = await loadTenant(env, tenantId);
  if (!tenant) {
    await burnPasswordTime(password);
    throw wrongCredentials();
  }
  if (tenant.sso?.required) {
    throw new HttpError(403, 'This account signs in with single sign-on only', 'Use GET /app/api/auth/sso/start?tenant=<id>.', {}, { sso: true });
  }
  await countSignInAttempt(request, env, tenant.id);
  const accounts = accountsOf(env, tenant.id);
  const user = await accounts.userByEmail(address);
  const hash = user?.status === 'active' ? await accounts.passwordHash(user.id) : null;
  const client = clientInfo(request);
  if (!user || !hash) {
    await burnPasswordTime(password);
    await recordAudit(env, tenant.id, { actor: user ? { kind: 'user', userId: user.id } : { kind: 'anonymous' }, client, action: 'auth.login.failed', target: user ? `user:${user.id}` : 'user:unknown' });
    throw wrongCredentials();
  }
  const actor: Actor = { kind: 'user', userId: user.id };
  const good = await verifyPassword(password, hash);
  const lockedUntil = await accounts.lockedUntil(user.id);
  if (lockedUntil) throw lockedOut(lockedUntil);
  if (!good) {
    await recordAudit(env, tenant.id, { actor, client, action: 'auth.login.failed', target: `user:${user.id}` });
    const failure = await accounts.recordFailure(user.id, LOCK_POLICY);
    if (failure.lockedNow) await noticeLockout(env, tenant, user.id, user.email, actor, client);
    throw failure.lockedNow ? lockedOut(failure.lockedUntil) : wrongCredentials();
  }
  const challenge = newTenantToken(tenant.id);
  const code = randomDigits(CODE_DIGITS);
  await accounts.createChallenge(await tokenDigest(challenge), user.id, await codeDigest(challenge, code), Date.now() + CODE_TTL_MS);
  await mailerFor(env).send(codeMail(user.email, tenant.id, code, CODE_TTL_MS / 60_000));
  await recordAudit(env, tenant.id, { actor, client, action: 'auth.mfa.sent', target: `user:${user.id}` });
  return json({ mfa: 'email', challenge });
}

async function noticeLockout(env: Env, tenant: TenantConfig, userId: string, address: string, actor: Actor, client: ReturnType<typeof clientInfo>) {
  await recordAudit(env, tenant.id, { actor, client, action: 'auth.lockout', target: `user:${userId}` });
  await mailerFor(env).send(lockoutMail(address, tenant.id, LOCK_POLICY.lockMs / 60_000));
}

async function verifyCode(request: IRequest, env: Env): Promise<Response> {
  requireSameOrigin(request);
  const body = await readJsonObject(request);
  const challenge = checkField(body, 'challenge', text('the challenge of POST /app/api/auth/login', { max: 200, nonBlank: true }));
  const code = checkField(body, 'code', text(`the ${CODE_DIGITS}-digit code from the email`, { max: 20, nonBlank: true })).trim();
  const tenantId = tenantOfToken(challenge);
  const tenant = tenantId ? await loadTenant(env, tenantId) : null;
  if (!tenant) throw new HttpError(401, 'The code is wrong or has expired', 'Sign in again for a new code.');
  await countSignInAttempt(request, env, tenant.id);
  const accounts = accountsOf(env, tenant.id);
  const outcome = await accounts.verifyChallenge(await tokenDigest(challenge), await codeDigest(challenge, code), CODE_MAX_ATTEMPTS, LOCK_POLICY);
  const client = clientInfo(request);
  if (!outcome.ok) {
    if (outcome.userId) {
      const actor: Actor = { kind: 'user', userId: outcome.userId };
      await recordAudit(env, tenant.id, { actor, client, action: 'auth.mfa.failed', target: `user:${outcome.userId}` });
      if (outcome.lockedNow) {
        const user = await accounts.user(outcome.userId);
        if (user) await noticeLockout(env, tenant, user.id, user.email, actor, client);
      }
    }
    if (outcome.reason === 'locked') throw lockedOut((await accounts.lockedUntil(outcome.userId!)) || Date.now() + 1000);
    throw new HttpError(401, 'The code is wrong or has expired', 'Check the latest email, or sign in again for a new code.');
  }
  const user = await accounts.user(outcome.userId);
  if (!user || user.status !== 'active') throw new HttpError(401, 'The code is wrong or has expired', 'Sign in again.');
  const session = await startSession(env, tenant.id, user.id, 'password');
  const actor: Actor = { kind: 'user', userId: user.id };
  await recordAudit(env, tenant.id, { actor, client, action: 'auth.mfa.verified', target: `user:${user.id}` });
  await recordAudit(env, tenant.id, { actor, client, action: 'auth.login', target: `user:${user.id}` });
  return json(sessionBody({ tenant, user, csrfToken: session.csrfToken }), 200, { 'Set-Cookie': sessionCookie(session.token) });
}

async function logout(request: IRequest, env: Env): Promise<Response> {
  requireSameOrigin(request);
  const session = await currentSession(request, env);
  if (session) {
    await accountsOf(env, session.tenant.id).endSession(session.tokenHash);
    await recordAudit(env, session.tenant.id, { actor: { kind: 'user', userId: session.user.id }, client: clientInfo(request), action: 'auth.logout', target: `user:${session.user.id}` });
  }
  return new Response(null, { status: 204, headers: { 'Set-Cookie': clearedSessionCookie(), 'Cache-Control': 'no-store' } });
}

async function logoutEverywhere(request: IRequest, env: Env): Promise<Response> {
  const session = await requireSession(request, env);
  requireCsrf(request, session);
  const ended = await accountsOf(env, session.tenant.id).endSessionsOf(session.user.id);
  await recordAudit(env, session.tenant.id, {
    actor: { kind: 'user', userId: session.user.id },
    client: clientInfo(request),
    action: 'auth.logout-all',
    target: `user:${session.user.id}`,
    after: { sessionsEnded: ended },
  });
  return new Response(null, { status: 204, headers: { 'Set-Cookie': clearedSessionCookie(), 'Cache-Control': 'no-store' } });
}
