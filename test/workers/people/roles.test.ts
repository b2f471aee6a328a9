import { env, runInDurableObject, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ADMIN, api } from '../admin-helpers';
import { fixtureBytes, ORIGIN } from '../helpers';
import { addUser, app, PASSWORD, tenantWithOwner, uniqueEmail, lastMail } from '../people-helpers';

describe('roles enforced by the server on every route', () => {
  it('a viewer reads files but its DELETE, settings and users calls are 403', async () => {
    const owner = await tenantWithOwner();
    const viewer = await addUser(owner, 'viewer');
    expect((await app('/v1/files', { cookie: viewer.cookie })).status).toBe(200);
    const del = await app('/v1/files/some-file-id', { method: 'DELETE', cookie: viewer.cookie, csrf: viewer.csrf });
    expect(del.status).toBe(403);
    expect(((await del.json()) as { message: string }).message).toBe('Your role does not have read and write access to files.');
    expect((await app('/v1/accounts/settings', { cookie: viewer.cookie })).status).toBe(403);
    expect((await app('/v1/accounts/users', { cookie: viewer.cookie })).status).toBe(403);
    const upload = new FormData();
    upload.set('file', new Blob([new Uint8Array([1, 2, 3])]), 'x.bin');
    upload.set('fileName', 'x.bin');
    expect((await app('/api/v1/files/upload', { method: 'POST', body: upload, cookie: viewer.cookie, csrf: viewer.csrf })).status).toBe(403);
  });

  it('a media manager uploads through the session door, audited as the user', async () => {
    const owner = await tenantWithOwner();
    const manager = await addUser(owner, 'media_manager');
    const form = new FormData();
    form.set('file', new Blob([await fixtureBytes('images/generated/alpha-gradient.png')]), 'small.png');
    form.set('fileName', 'small.png');
    form.set('useUniqueFileName', 'false');
    const res = await app('/api/v1/files/upload', { method: 'POST', body: form, cookie: manager.cookie, csrf: manager.csrf });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: 'small.png', filePath: '/small.png' });
    const audit = (await (await api(owner.privateKey, '/v1/accounts/audit-logs?limit=100')).json()) as { entries: { action: string; actor: string }[] };
    const uploads = audit.entries.filter((e) => e.action.startsWith('file.'));
    expect(uploads.length).toBeGreaterThan(0);
    expect(uploads.every((e) => e.actor === `user:${manager.userId}`)).toBe(true);
    // Creating a key above the role's own rights is refused.
    const key = await app('/v1/accounts/api-keys', { method: 'POST', cookie: manager.cookie, csrf: manager.csrf, json: { name: 'k', permissions: { files: 'read' } } });
    expect(key.status).toBe(403);
  });

  it('a role change applies to the next request; removing a user ends their sessions', async () => {
    const owner = await tenantWithOwner();
    const dev = await addUser(owner, 'developer');
    expect((await app('/v1/accounts/settings', { cookie: dev.cookie })).status).toBe(200);
    const patch = await app(`/v1/accounts/users/${dev.userId}`, { method: 'PATCH', cookie: owner.cookie, csrf: owner.csrf, json: { role: 'viewer' } });
    expect(patch.status).toBe(200);
    expect(await patch.json()).toMatchObject({ role: 'viewer', status: 'active' });
    expect((await app('/v1/accounts/settings', { cookie: dev.cookie })).status).toBe(403);
    expect(((await (await app('/auth/session', { cookie: dev.cookie })).json()) as { user: { role: string } }).user.role).toBe('viewer');

    const disabled = await app(`/v1/accounts/users/${dev.userId}`, { method: 'PATCH', cookie: owner.cookie, csrf: owner.csrf, json: { status: 'disabled' } });
    expect(disabled.status).toBe(200);
    expect((await app('/auth/session', { cookie: dev.cookie })).status).toBe(401);

    const other = await addUser(owner, 'media_manager');
    expect((await app(`/v1/accounts/users/${other.userId}`, { method: 'DELETE', cookie: owner.cookie, csrf: owner.csrf })).status).toBe(204);
    expect((await app('/v1/files', { cookie: other.cookie })).status).toBe(401);
    const audit = (await (await api(owner.privateKey, '/v1/accounts/audit-logs?limit=200')).json()) as { entries: { action: string; actor: string; target: string }[] };
    expect(audit.entries.find((e) => e.action === 'user.role-change')).toMatchObject({ actor: `user:${owner.userId}`, target: `user:${dev.userId}` });
    expect(audit.entries.find((e) => e.action === 'user.delete')).toMatchObject({ target: `user:${other.userId}` });
  });

  it('keeps the last owner, and only owners make owners', async () => {
    const owner = await tenantWithOwner();
    const self = `/v1/accounts/users/${owner.userId}`;
    expect((await app(self, { method: 'PATCH', cookie: owner.cookie, csrf: owner.csrf, json: { role: 'admin' } })).status).toBe(409);
    expect((await app(self, { method: 'DELETE', cookie: owner.cookie, csrf: owner.csrf })).status).toBe(409);
    const admin = await addUser(owner, 'admin');
    const promote = await app('/v1/accounts/users', { method: 'POST', cookie: admin.cookie, csrf: admin.csrf, json: { email: uniqueEmail('o2'), role: 'owner' } });
    expect(promote.status).toBe(403);
    expect((await app(self, { method: 'DELETE', cookie: admin.cookie, csrf: admin.csrf })).status).toBe(403);
    // With a second owner, the first may step down.
    const second = await addUser(owner, 'owner');
    expect((await app(self, { method: 'PATCH', cookie: second.cookie, csrf: second.csrf, json: { role: 'admin' } })).status).toBe(200);
    expect((await app(`/v1/accounts/users/${second.userId}`, { method: 'DELETE', cookie: second.cookie, csrf: second.csrf })).status).toBe(409);
  });

  it('the users API answers keys too, with the users area', async () => {
    const owner = await tenantWithOwner();
    const list = await api(owner.privateKey, '/v1/accounts/users');
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual([expect.objectContaining({ id: owner.userId, email: owner.email, role: 'owner', status: 'active' })]);
    const invited = await api(owner.privateKey, '/v1/accounts/users', { method: 'POST', json: { email: 'NEW@Example.com', name: 'New', role: 'developer' } });
    expect(invited.status).toBe(201);
    expect(await invited.json()).toMatchObject({ email: 'new@example.com', role: 'developer', status: 'invited' });
    expect((await lastMail('new@example.com', /invited/)).text).toContain(`${ORIGIN}/app/accept-invite?token=${owner.tenantId}.`);
    expect((await api(owner.privateKey, '/v1/accounts/users', { method: 'POST', json: { email: 'new@example.com', role: 'viewer' } })).status).toBe(409);
    expect((await api(owner.privateKey, '/v1/accounts/users', { method: 'POST', json: { email: 'x@example.com', role: 'king' } })).status).toBe(400);
    const noUsers = await api(owner.privateKey, '/v1/accounts/api-keys', { method: 'POST', json: { name: 'files only', permissions: { files: 'read' } } });
    const { privateKey } = (await noUsers.json()) as { privateKey: string };
    expect((await api(privateKey, '/v1/accounts/users')).status).toBe(403);
  });

  it('the operator invites an owner into an existing tenant', async () => {
    const owner = await tenantWithOwner();
    const email = uniqueEmail('second-owner');
    const res = await SELF.fetch(`${ORIGIN}/admin/v1/tenants/${owner.tenantId}/owners`, { method: 'POST', headers: { ...ADMIN, 'Content-Type': 'application/json' }, body: JSON.stringify({ email, name: 'Second' }) });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ email, role: 'owner', status: 'invited' });
    expect((await SELF.fetch(`${ORIGIN}/admin/v1/tenants/nope-nope/owners`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ email }) })).status).toBe(404);
  });
});

describe('CSRF defence on the cookie door', () => {
  it('refuses writes without the token, with a wrong token, or from another origin', async () => {
    const owner = await tenantWithOwner();
    const json = { name: 'k', permissions: { files: 'read' } };
    const path = '/v1/accounts/api-keys';
    for (const init of [
      { cookie: owner.cookie },
      { cookie: owner.cookie, csrf: 'not-the-token' },
      { cookie: owner.cookie, csrf: owner.csrf, origin: 'https://evil.example' },
      { cookie: owner.cookie, csrf: owner.csrf, origin: null },
    ]) {
      const res = await app(path, { method: 'POST', json, ...init });
      expect(res.status).toBe(403);
      expect(res.headers.get('Content-Type')).toContain('application/json');
    }
    expect((await app(path, { method: 'POST', json, cookie: owner.cookie, csrf: owner.csrf })).status).toBe(201);
    // Sign-in itself refuses another origin (login CSRF).
    expect((await app('/auth/login', { method: 'POST', origin: 'https://evil.example', json: { tenant: owner.tenantId, email: owner.email, password: PASSWORD } })).status).toBe(403);
    // The door reaches only the tenant API.
    expect((await app('/admin/v1/tenants', { cookie: owner.cookie })).status).toBe(404);
  });
});

describe('what is stored', () => {
  it('keeps no password, code, token or session id in clear', async () => {
    const owner = await tenantWithOwner();
    const challenge = await app('/auth/login', { method: 'POST', json: { tenant: owner.tenantId, email: owner.email, password: PASSWORD } });
    const { challenge: id } = (await challenge.json()) as { challenge: string };
    const code = /\b(\d{6})\b/.exec((await lastMail(owner.email, /sign-in code/)).subject)![1]!;
    const dump = await runInDurableObject(env.ACCOUNTS.get(env.ACCOUNTS.idFromName(owner.tenantId)), (_object, state) => {
      const tables = ['users', 'tokens', 'challenges', 'sessions', 'sso_flows'];
      return JSON.stringify(Object.fromEntries(tables.map((t) => [t, state.storage.sql.exec(`SELECT * FROM ${t}`).toArray()])));
    });
    expect(dump).toContain(owner.email);
    expect(dump).toMatch(/pbkdf2-sha256\$100000\$/);
    for (const secret of [PASSWORD, code, id, owner.cookie.split('=')[1]!]) expect(dump).not.toContain(secret);
  });
});

describe('session expiry', () => {
  it('ends a session idle for 30 minutes, and any session after 12 hours', async () => {
    const owner = await tenantWithOwner();
    const accounts = env.ACCOUNTS.get(env.ACCOUNTS.idFromName(owner.tenantId));
    const { tokenDigest } = await import('../../../src/people/tokens');
    const hash = await tokenDigest(owner.cookie.slice('edgepix_session='.length));
    const minute = 60_000;
    // Seen 29 minutes from now: still live (and seen again then); 30 idle minutes after that: gone.
    expect(await accounts.touchSession(hash, 30 * minute, Date.now() + 29 * minute)).not.toBeNull();
    expect(await accounts.touchSession(hash, 30 * minute, Date.now() + 59 * minute)).toBeNull();
    expect((await app('/auth/session', { cookie: owner.cookie })).status).toBe(401);

    const again = await tenantWithOwner();
    const other = env.ACCOUNTS.get(env.ACCOUNTS.idFromName(again.tenantId));
    const otherHash = await tokenDigest(again.cookie.slice('edgepix_session='.length));
    let now = Date.now();
    // Kept busy every 20 minutes, it still ends at the 12-hour mark.
    for (let i = 0; i < 35; i++) expect(await other.touchSession(otherHash, 30 * minute, (now += 20 * minute))).not.toBeNull();
    expect(await other.touchSession(otherHash, 30 * minute, (now += 20 * minute))).toBeNull();
  });
});
