/**
 * Single sign-on for the dashboard: `GET /app/api/auth/sso/start?tenant=<id>` sends the browser to the tenant's
 * IdP; `GET /app/api/auth/sso/callback` checks what comes back, signs the user in (made on first sign-in with the
 * tenant's default role, when their email domain is allowed) and sends them to `/app/`.
 *
 * The state is single use, kept server-side with the PKCE verifier and nonce, and bound to the browser that
 * started the flow by a short cookie (SameSite=Lax: the IdP's redirect back is a cross-site navigation).
 */
import type { IRequest, RouterType } from 'itty-router';
import { type Actor, clientInfo } from '../audit/actor';
import { recordAudit } from '../audit/record';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { accountsOf } from '../people/client';
import { finishFlow, type OidcClient, startFlow } from '../people/oidc';
import { SSO_FLOW_TTL_MS } from '../people/policy';
import { readCookie, sessionCookie, startSession } from '../people/sessions';
import { newTenantToken, tenantOfToken, tokenDigest } from '../people/tokens';
import { constantTimeEqual, decryptSecret, randomToken } from '../security/crypto';
import type { TenantConfig } from '../tenants/config';
import { loadTenant } from '../tenants/store';
import { ssoCallbackUrl } from './sso-settings';

const FLOW_COOKIE = 'edgepix_sso';
const FLOW_COOKIE_ATTRIBUTES = 'Path=/app/api/auth/sso/; HttpOnly; Secure; SameSite=Lax';

export function registerAppSsoRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get('/app/api/auth/sso/start', start);
  router.get('/app/api/auth/sso/callback', callback);
}

const noSso = () => new HttpError(404, 'Single sign-on is not set up for this account', 'Sign in with email and password, or ask an owner to set up SSO.');

async function ssoTenant(env: Env, tenantId: string | null): Promise<TenantConfig & { sso: NonNullable<TenantConfig['sso']> }> {
  const tenant = tenantId ? await loadTenant(env, tenantId) : null;
  if (!tenant?.sso) throw noSso();
  return tenant as TenantConfig & { sso: NonNullable<TenantConfig['sso']> };
}

async function client(env: Env, tenant: TenantConfig & { sso: NonNullable<TenantConfig['sso']> }): Promise<OidcClient> {
  const { issuer, clientId, clientSecretCiphertext } = tenant.sso;
  return { issuer, clientId, clientSecret: await decryptSecret(env.MASTER_KEY, clientSecretCiphertext, tenant.id) };
}

async function start(request: IRequest, env: Env): Promise<Response> {
  const url = new URL(request.url);
  const tenant = await ssoTenant(env, url.searchParams.get('tenant'));
  const hint = url.searchParams.get('login_hint') ?? undefined;
  const state = newTenantToken(tenant.id);
  const flow = await startFlow(env, await client(env, tenant), ssoCallbackUrl(request.url), state, hint && hint.length <= 320 ? hint : undefined);
  await accountsOf(env, tenant.id).startSsoFlow(await tokenDigest(state), flow.verifier, flow.nonce, Date.now() + SSO_FLOW_TTL_MS);
  return new Response(null, {
    status: 302,
    headers: {
      Location: flow.location,
      'Set-Cookie': `${FLOW_COOKIE}=${state}; ${FLOW_COOKIE_ATTRIBUTES}; Max-Age=${SSO_FLOW_TTL_MS / 1000}`,
      'Cache-Control': 'no-store',
    },
  });
}

async function callback(request: IRequest, env: Env): Promise<Response> {
  const url = new URL(request.url);
  const state = url.searchParams.get('state') ?? '';
  const tenant = await ssoTenant(env, tenantOfToken(state));
  const cookie = readCookie(request, FLOW_COOKIE) ?? '';
  const accounts = accountsOf(env, tenant.id);
  const flow = await accounts.takeSsoFlow(await tokenDigest(state));
  if (!flow || !constantTimeEqual(cookie, state)) {
    throw new HttpError(400, 'This sign-in was not started here, was already used or has expired', 'Start single sign-on again from the sign-in page.');
  }
  const clientInfoOf = clientInfo(request);
  const identity = await finishFlow(env, await client(env, tenant), ssoCallbackUrl(request.url), url, { state, ...flow });
  const domain = identity.email.split('@')[1]!;
  if (tenant.sso.allowedDomains.length > 0 && !tenant.sso.allowedDomains.includes(domain)) {
    await recordAudit(env, tenant.id, { actor: { kind: 'anonymous' }, client: clientInfoOf, action: 'auth.sso.refused', target: `domain:${domain}` });
    throw new HttpError(403, `Accounts of ${domain} may not sign in here`, 'Sign in with an address of an allowed domain.');
  }
  let user = await accounts.userByEmail(identity.email);
  if (!user) {
    user = await accounts.createUser({ id: `usr_${randomToken(9)}`, email: identity.email, name: identity.name, role: tenant.sso.defaultRole, status: 'active' });
    if (!user) throw new HttpError(409, 'The user was created by another sign-in at the same moment', 'Sign in again.');
    await recordAudit(env, tenant.id, { actor: { kind: 'user', userId: user.id }, client: clientInfoOf, action: 'user.create-sso', target: `user:${user.id}`, after: { role: user.role } });
  }
  if (user.status === 'disabled') throw new HttpError(403, 'This user is disabled', 'Ask an owner or admin of the account.');
  if (user.status === 'invited') await accounts.activate(user.id);
  const actor: Actor = { kind: 'user', userId: user.id };
  const session = await startSession(env, tenant.id, user.id, 'sso');
  await recordAudit(env, tenant.id, { actor, client: clientInfoOf, action: 'auth.sso.login', target: `user:${user.id}` });
  const headers = new Headers({ Location: '/app/', 'Cache-Control': 'no-store' });
  headers.append('Set-Cookie', sessionCookie(session.token));
  headers.append('Set-Cookie', `${FLOW_COOKIE}=; ${FLOW_COOKIE_ATTRIBUTES}; Max-Age=0`);
  return new Response(null, { status: 302, headers });
}
