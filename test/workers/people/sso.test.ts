import { env, SELF } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { api } from '../admin-helpers';
import { ORIGIN } from '../helpers';
import { app, PASSWORD, sessionCookieOf, setCookies, type SignedIn, tenantWithOwner, uniqueEmail } from '../people-helpers';
import { OIDC_CLIENT } from '../../servers/provided-oidc';
import { tenantConfigKey } from '../../../src/tenants/config';

const issuer = inject('oidcIssuer');

function configureSso(owner: SignedIn, extra: Record<string, unknown> = {}) {
  return api(owner.privateKey, '/v1/accounts/sso', { method: 'PUT', json: { issuer, ...OIDC_CLIENT, defaultRole: 'media_manager', ...extra } });
}

/** Starts SSO at the Worker, lets the test IdP sign `email` in (following its redirects with its cookies), and hands the callback to the Worker. */
async function ssoSignIn(tenantId: string, email: string, options: { flowCookie?: boolean } = {}): Promise<{ res: Response; callback: string; flowCookie: string }> {
  const started = await app(`/auth/sso/start?tenant=${tenantId}&login_hint=${encodeURIComponent(email)}`, { origin: null });
  expect(started.status).toBe(302);
  const flowCookie = setCookies(started).find((c) => c.startsWith('edgepix_sso='))!;
  expect(flowCookie).toMatch(/; Path=\/app\/api\/auth\/sso\/; HttpOnly; Secure; SameSite=Lax/);
  const location = new URL(started.headers.get('Location')!);
  expect(location.origin).toBe(issuer);
  expect(location.searchParams.get('code_challenge_method')).toBe('S256');
  expect(location.searchParams.get('nonce')).toBeTruthy();
  const jar = new Map<string, string>();
  let next = location.href;
  for (let hop = 0; hop < 10 && !next.startsWith(ORIGIN); hop++) {
    const res = await fetch(next, { redirect: 'manual', headers: { Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const cookie of setCookies(res)) {
      const pair = cookie.split(';')[0]!;
      const eq = pair.indexOf('=');
      if (pair.slice(eq + 1)) jar.set(pair.slice(0, eq), pair.slice(eq + 1));
      else jar.delete(pair.slice(0, eq));
    }
    const to = res.headers.get('Location');
    if (!to) throw new Error(`the IdP answered ${res.status}: ${await res.text()}`);
    next = new URL(to, next).href;
  }
  const cookie: Record<string, string> = options.flowCookie === false ? {} : { Cookie: flowCookie.split(';')[0]! };
  const res = await SELF.fetch(next, { headers: cookie, redirect: 'manual' });
  return { res, callback: next, flowCookie: flowCookie.split(';')[0]! };
}

describe('single sign-on with OpenID Connect', () => {
  it('signs a new user in just in time with the default role, and never shows the client secret', async () => {
    const owner = await tenantWithOwner();
    const put = await configureSso(owner);
    expect(put.status).toBe(200);
    const shown = (await put.json()) as Record<string, unknown>;
    expect(shown).toMatchObject({ enabled: true, issuer, clientId: OIDC_CLIENT.clientId, clientSecretSet: true, defaultRole: 'media_manager', required: false, redirectUri: `${ORIGIN}/app/api/auth/sso/callback` });
    expect(JSON.stringify(shown)).not.toContain(OIDC_CLIENT.clientSecret);
    const stored = await env.CONFIG.get(tenantConfigKey(owner.tenantId));
    expect(stored).not.toContain(OIDC_CLIENT.clientSecret);
    expect(JSON.stringify(await (await api(owner.privateKey, '/v1/accounts/sso')).json())).not.toContain(OIDC_CLIENT.clientSecret);

    const email = uniqueEmail('sso');
    const { res } = await ssoSignIn(owner.tenantId, email);
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe('/app/');
    const cookie = sessionCookieOf(res);
    const session = await app('/auth/session', { cookie });
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({ tenant: owner.tenantId, user: { email, role: 'media_manager' } });
    const users = (await (await api(owner.privateKey, '/v1/accounts/users')).json()) as { email: string; status: string }[];
    expect(users.find((u) => u.email === email)).toMatchObject({ status: 'active' });
    const audit = (await (await api(owner.privateKey, '/v1/accounts/audit-logs?action=auth.sso.login')).json()) as { entries: { actor: string }[] };
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]!.actor).toMatch(/^user:usr_/);
  });

  it('refuses an email domain that is not allowed', async () => {
    const owner = await tenantWithOwner();
    expect((await configureSso(owner, { allowedDomains: ['example.org'] })).status).toBe(200);
    const refused = await ssoSignIn(owner.tenantId, uniqueEmail('outsider'));
    expect(refused.res.status).toBe(403);
    expect(((await refused.res.json()) as { message: string }).message).toContain('example.com');
    const allowed = await ssoSignIn(owner.tenantId, `insider-${Date.now()}@example.org`);
    expect(allowed.res.status).toBe(302);
  });

  it('with SSO required, password sign-in and resets are off', async () => {
    const owner = await tenantWithOwner();
    expect((await configureSso(owner, { required: true })).status).toBe(200);
    const login = await app('/auth/login', { method: 'POST', json: { tenant: owner.tenantId, email: owner.email, password: PASSWORD } });
    expect(login.status).toBe(403);
    expect(await login.json()).toMatchObject({ sso: true });
    // The owner invited by email signs in through the IdP as the same user, with the same role.
    const { res } = await ssoSignIn(owner.tenantId, owner.email);
    expect(res.status).toBe(302);
    const session = (await (await app('/auth/session', { cookie: sessionCookieOf(res) })).json()) as { user: { id: string; role: string } };
    expect(session.user).toEqual(expect.objectContaining({ id: owner.userId, role: 'owner' }));
  });

  it('refuses a callback without the browser cookie of its start, and a state used twice', async () => {
    const owner = await tenantWithOwner();
    await configureSso(owner);
    const stolen = await ssoSignIn(owner.tenantId, uniqueEmail('csrf'), { flowCookie: false });
    expect(stolen.res.status).toBe(400);
    const first = await ssoSignIn(owner.tenantId, uniqueEmail('twice'));
    expect(first.res.status).toBe(302);
    const replay = await SELF.fetch(first.callback, { headers: { Cookie: first.flowCookie }, redirect: 'manual' });
    expect(replay.status).toBe(400);
  });

  it('validates the settings: an issuer the SSRF guard refuses, an owner default role', async () => {
    const owner = await tenantWithOwner();
    expect((await api(owner.privateKey, '/v1/accounts/sso', { method: 'PUT', json: { issuer: 'file:///etc/passwd', ...OIDC_CLIENT } })).status).toBe(403);
    expect((await configureSso(owner, { defaultRole: 'owner' })).status).toBe(400);
    expect((await api(owner.privateKey, '/v1/accounts/sso', { method: 'PUT', json: { issuer, clientId: 'x' } })).status).toBe(400);
    expect((await app('/auth/sso/start?tenant=' + owner.tenantId, { origin: null })).status).toBe(404);
  });
});
