import { describe, expect, it } from 'vitest';
import { app, lastMail, PASSWORD, signIn, tenantWithOwner, tokenIn, uniqueEmail, codeIn, mailsTo, setCookies } from '../people-helpers';
import { SELF } from 'cloudflare:test';
import { ADMIN } from '../admin-helpers';
import { ORIGIN } from '../helpers';

describe('invitation, password and emailed code', () => {
  it('invite → accept → login → code → session → API call with the session', async () => {
    const owner = await tenantWithOwner();
    const session = await app('/auth/session', { cookie: owner.cookie });
    expect(session.status).toBe(200);
    const body = (await session.json()) as Record<string, any>;
    expect(body).toMatchObject({ tenant: owner.tenantId, user: { email: owner.email, role: 'owner' }, csrfToken: owner.csrf });
    expect(body.permissions).toEqual({ files: 'read_write', settings: 'read_write', audit: 'read', users: 'read_write' });

    const settings = await app('/v1/accounts/settings', { cookie: owner.cookie });
    expect(settings.status).toBe(200);
    expect(settings.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(((await settings.json()) as { defaultQuality: number }).defaultQuality).toBe(80);
    const files = await app('/v1/files', { cookie: owner.cookie });
    expect(files.status).toBe(200);
    expect(await files.json()).toEqual([]);
  });

  it('sets the session cookie HttpOnly, Secure, SameSite=Strict on /app/', async () => {
    const email = uniqueEmail('cookie');
    const tenantId = `ck-${Date.now().toString(36)}`;
    await SELF.fetch(`${ORIGIN}/admin/v1/tenants`, { method: 'POST', headers: { ...ADMIN, 'Content-Type': 'application/json' }, body: JSON.stringify({ id: tenantId, owner: { email } }) });
    await app('/auth/accept-invite', { method: 'POST', json: { token: tokenIn(await lastMail(email, /invited/)), password: PASSWORD } });
    const login = await app('/auth/login', { method: 'POST', json: { tenant: tenantId, email, password: PASSWORD } });
    expect(login.status).toBe(200);
    const { mfa, challenge } = (await login.json()) as { mfa: string; challenge: string };
    expect(mfa).toBe('email');
    const code = codeIn(await lastMail(email, /sign-in code/));
    expect(code).toMatch(/^\d{6}$/);
    const res = await app('/auth/mfa', { method: 'POST', json: { challenge, code } });
    expect(res.status).toBe(200);
    const cookie = setCookies(res).find((c) => c.startsWith('edgepix_session='))!;
    expect(cookie).toMatch(/; Path=\/app\/; HttpOnly; Secure; SameSite=Strict; Max-Age=\d+$/);
    // The code works once.
    const again = await app('/auth/mfa', { method: 'POST', json: { challenge, code } });
    expect(again.status).toBe(401);
  });

  it('refuses a wrong password, an unknown email and an unknown tenant alike', async () => {
    const owner = await tenantWithOwner();
    for (const json of [
      { tenant: owner.tenantId, email: owner.email, password: 'not the password' },
      { tenant: owner.tenantId, email: 'nobody@example.com', password: PASSWORD },
      { tenant: 'no-such-tenant', email: owner.email, password: PASSWORD },
    ]) {
      const res = await app('/auth/login', { method: 'POST', json });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { message: string }).message).toBe('The email or password is wrong');
    }
  });

  it('an invitation link works once, and a weak password does not use it up', async () => {
    const email = uniqueEmail('weak');
    const tenantId = `wk-${Date.now().toString(36)}`;
    await SELF.fetch(`${ORIGIN}/admin/v1/tenants`, { method: 'POST', headers: { ...ADMIN, 'Content-Type': 'application/json' }, body: JSON.stringify({ id: tenantId, owner: { email } }) });
    const token = tokenIn(await lastMail(email, /invited/));
    expect(token.startsWith(`${tenantId}.`)).toBe(true);
    expect((await app('/auth/accept-invite', { method: 'POST', json: { token, password: 'short' } })).status).toBe(400);
    expect((await app('/auth/accept-invite', { method: 'POST', json: { token, password: email } })).status).toBe(400);
    expect((await app('/auth/accept-invite', { method: 'POST', json: { token, password: PASSWORD } })).status).toBe(200);
    expect((await app('/auth/accept-invite', { method: 'POST', json: { token, password: PASSWORD } })).status).toBe(400);
    await signIn(tenantId, email);
  });

  it('resets a password by an emailed link, ending every session; the request is 202 for anyone', async () => {
    const owner = await tenantWithOwner();
    const unknown = await app('/auth/reset-request', { method: 'POST', json: { tenant: owner.tenantId, email: 'nobody@example.com' } });
    expect(unknown.status).toBe(202);
    expect(await mailsTo('nobody@example.com')).toEqual([]);
    const res = await app('/auth/reset-request', { method: 'POST', json: { tenant: owner.tenantId, email: owner.email } });
    expect(res.status).toBe(202);
    const token = tokenIn(await lastMail(owner.email, /Reset/));
    const reset = await app('/auth/reset', { method: 'POST', json: { token, password: 'a brand new passphrase' } });
    expect(reset.status).toBe(200);
    expect((await app('/auth/session', { cookie: owner.cookie })).status).toBe(401);
    await expect(signIn(owner.tenantId, owner.email)).rejects.toThrow(/login: 401/);
    await signIn(owner.tenantId, owner.email, 'a brand new passphrase');
  });

  it('logout ends this session; logout-all ends every session of the user', async () => {
    const owner = await tenantWithOwner();
    const second = await signIn(owner.tenantId, owner.email);
    const third = await signIn(owner.tenantId, owner.email);
    const out = await app('/auth/logout', { method: 'POST', cookie: third.cookie });
    expect(out.status).toBe(204);
    expect(setCookies(out)[0]).toMatch(/^edgepix_session=; .*Max-Age=0/);
    expect((await app('/auth/session', { cookie: third.cookie })).status).toBe(401);
    expect((await app('/auth/session', { cookie: owner.cookie })).status).toBe(200);

    // Sign out everywhere is a write: the CSRF token is needed.
    expect((await app('/auth/logout-all', { method: 'POST', cookie: second.cookie })).status).toBe(403);
    expect((await app('/auth/logout-all', { method: 'POST', cookie: second.cookie, csrf: second.csrf })).status).toBe(204);
    expect((await app('/auth/session', { cookie: owner.cookie })).status).toBe(401);
    expect((await app('/auth/session', { cookie: second.cookie })).status).toBe(401);
    expect((await app('/v1/files', { cookie: owner.cookie })).status).toBe(401);
  });
});
