/** `/v1/accounts/api-keys`: several keys, permissions, private keys shown once, delayed deletion. */
import { describe, expect, it } from 'vitest';
import { api, basic, createTenant } from '../admin-helpers';
import { ORIGIN } from '../helpers';
import { SELF } from 'cloudflare:test';

const create = async (privateKey: string, body: unknown) => api(privateKey, '/v1/accounts/api-keys', { method: 'POST', json: body });

describe('API keys', () => {
  it('creates a key whose private key is shown once and works with any password', async () => {
    const tenant = await createTenant();
    const res = await create(tenant.privateKey, { name: 'ci', permissions: { files: 'read', settings: 'read', audit: 'read' } });
    expect(res.status).toBe(201);
    const key = (await res.json()) as Record<string, any>;
    expect(key).toMatchObject({ name: 'ci', permissions: { files: 'read', settings: 'read', audit: 'read' }, expiresAt: null });
    expect(key.privateKey).toMatch(/^private_/);
    for (const password of ['', 'do_not_set', 'anything']) {
      const r = await SELF.fetch(`${ORIGIN}/v1/accounts/settings`, { headers: basic(key.privateKey, password) });
      expect(r.status).toBe(200);
    }
    const list = await api(tenant.privateKey, '/v1/accounts/api-keys');
    const text = await list.text();
    expect(text).not.toContain(key.privateKey);
    expect(text).not.toContain('privateKey');
    const keys = JSON.parse(text) as { id: string }[];
    expect(keys.map((k) => k.id)).toContain(key.id);
    expect(Object.keys(JSON.parse(text)[0]).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'name', 'permissions', 'publicKey']);
  });

  it('refuses bad names and permissions with 400 naming the field', async () => {
    const tenant = await createTenant();
    for (const [body, field] of [
      [{ permissions: {} }, '"name"'],
      [{ name: 'x', permissions: { files: 'write' } }, '"permissions.files"'],
      [{ name: 'x', permissions: { billing: 'read' } }, '"permissions.billing"'],
      [{ name: 'x', permissions: 'all' }, '"permissions"'],
    ] as const) {
      const res = await create(tenant.privateKey, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toContain(field);
    }
  });

  it('a key cannot grant more than it holds', async () => {
    const tenant = await createTenant();
    const limited = (await (await create(tenant.privateKey, { name: 'l', permissions: { files: 'read', settings: 'read_write', audit: 'none' } })).json()) as { privateKey: string };
    const res = await create(limited.privateKey, { name: 'escalate', permissions: { files: 'read_write', settings: 'none', audit: 'none' } });
    expect(res.status).toBe(403);
  });

  it('rejects unknown, wrong and malformed credentials with 401', async () => {
    const tenant = await createTenant();
    for (const headers of [
      {},
      basic('private_nope'),
      basic(tenant.publicKey),
      { Authorization: 'Basic !!!' },
      { Authorization: `Bearer ${tenant.privateKey}` },
    ]) {
      const res = await SELF.fetch(`${ORIGIN}/v1/accounts/settings`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('WWW-Authenticate')).toContain('Basic');
    }
  });

  it('deleting a key revokes it at once', async () => {
    const tenant = await createTenant();
    const key = (await (await create(tenant.privateKey, { name: 'temp', permissions: { files: 'read' } })).json()) as { id: string; privateKey: string };
    expect((await api(key.privateKey, '/v1/accounts/api-keys')).status).toBe(403); // settings: none
    const res = await api(tenant.privateKey, `/v1/accounts/api-keys/${key.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect((await api(key.privateKey, '/v1/accounts/api-keys')).status).toBe(401);
    expect((await api(tenant.privateKey, `/v1/accounts/api-keys/${key.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('delaySeconds keeps a deleted key valid until then (rotation)', async () => {
    const tenant = await createTenant();
    const key = (await (await create(tenant.privateKey, { name: 'old', permissions: { settings: 'read' } })).json()) as { id: string; privateKey: string };
    const res = await api(tenant.privateKey, `/v1/accounts/api-keys/${key.id}?delaySeconds=3600`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect((await api(key.privateKey, '/v1/accounts/settings')).status).toBe(200);
    const listed = (await (await api(tenant.privateKey, '/v1/accounts/api-keys')).json()) as { id: string; expiresAt: string | null }[];
    const expiresAt = Date.parse(listed.find((k) => k.id === key.id)!.expiresAt!);
    expect(expiresAt - Date.now()).toBeGreaterThan(3500_000);
    expect((await api(tenant.privateKey, `/v1/accounts/api-keys/${key.id}?delaySeconds=soon`, { method: 'DELETE' })).status).toBe(400);
  });

  it('the last active key cannot be deleted', async () => {
    const tenant = await createTenant();
    const keys = (await (await api(tenant.privateKey, '/v1/accounts/api-keys')).json()) as { id: string }[];
    expect(keys).toHaveLength(1);
    const res = await api(tenant.privateKey, `/v1/accounts/api-keys/${keys[0]!.id}`, { method: 'DELETE' });
    expect(res.status).toBe(400);
    expect((await api(tenant.privateKey, '/v1/accounts/settings')).status).toBe(200);
  });
});
