/** The operator API: create, list, read and erase tenants, behind the bearer token. */
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/registry';
import { ADMIN, api, createTenant } from '../admin-helpers';
import { fixtureBytes, get, ORIGIN, putOriginal } from '../helpers';

const admin = (path: string, init: RequestInit = {}) =>
  SELF.fetch(`${ORIGIN}${path}`, { ...init, headers: { ...ADMIN, 'Content-Type': 'application/json', ...(init.headers as object) } });

describe('operator API', () => {
  it('refuses requests without the right bearer token', async () => {
    for (const headers of [{}, { Authorization: 'Bearer wrong' }, { Authorization: `Basic ${btoa('x:')}` }] as Record<string, string>[]) {
      const res = await SELF.fetch(`${ORIGIN}/admin/v1/tenants`, { headers });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { message: string }).message).toMatch(/operator token/);
    }
  });

  it('shows the answering isolate\'s calls into objects, to the operator only', async () => {
    expect((await SELF.fetch(`${ORIGIN}/admin/v1/isolate`)).status).toBe(401);
    const created = await createTenant();
    const before = ((await (await admin('/admin/v1/isolate')).json()) as { objectCalls: Record<string, number> }).objectCalls;
    expect((await api(created.privateKey, '/v1/accounts/audit-logs?limit=1')).status).toBe(200);
    const after = ((await (await admin('/admin/v1/isolate')).json()) as { objectCalls: Record<string, number> }).objectCalls;
    expect(after['AuditLog.list']).toBe((before['AuditLog.list'] ?? 0) + 1);
  });

  it('creates a tenant with a first key pair and returns its URL endpoint', async () => {
    const res = await admin('/admin/v1/tenants', { method: 'POST', body: JSON.stringify({ id: 'acme-op' }) });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['id', 'privateKey', 'publicKey', 'urlEndpoint']);
    expect(body.id).toBe('acme-op');
    expect(body.urlEndpoint).toBe(`${ORIGIN}/acme-op`);
    expect(body.privateKey).toMatch(/^private_/);
    expect(body.publicKey).toMatch(/^public_/);
    // The key works at once against the tenant API.
    expect((await api(body.privateKey!, '/v1/accounts/settings')).status).toBe(200);
  });

  it('generates an id when none is given', async () => {
    const res = await admin('/admin/v1/tenants', { method: 'POST', body: '{}' });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { id: string }).id).toMatch(/^[a-z0-9][a-z0-9-]{1,62}$/);
  });

  it.each([['ab_c'], ['-lead'], ['a'], ['UPPER'], ['v1'], ['admin'], ['healthz'], [42]])('refuses id %j with 400', async (id) => {
    const res = await admin('/admin/v1/tenants', { method: 'POST', body: JSON.stringify({ id }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain('"id"');
  });

  it('answers 409 for a taken id', async () => {
    const tenant = await createTenant();
    const res = await admin('/admin/v1/tenants', { method: 'POST', body: JSON.stringify({ id: tenant.id }) });
    expect(res.status).toBe(409);
  });

  it('lists tenants with their creation time, and shows one without secrets', async () => {
    const tenant = await createTenant();
    const list = (await (await admin('/admin/v1/tenants')).json()) as { id: string; createdAt: string }[];
    const entry = list.find((t) => t.id === tenant.id);
    expect(entry).toBeDefined();
    expect(Date.parse(entry!.createdAt)).toBeGreaterThan(0);
    const one = await admin(`/admin/v1/tenants/${tenant.id}`);
    expect(one.status).toBe(200);
    const text = await one.text();
    expect(text).not.toContain(tenant.privateKey);
    expect(text).not.toMatch(/privateKey|Ciphertext|privateKeyHash/);
    expect(JSON.parse(text)).toMatchObject({ id: tenant.id, urlEndpoint: tenant.urlEndpoint });
    expect((await admin('/admin/v1/tenants/no-such-tenant')).status).toBe(404);
  });

  it('stores private keys encrypted: no plain key anywhere in KV', async () => {
    const tenant = await createTenant();
    const listed = await env.CONFIG.list();
    for (const key of listed.keys) {
      expect(key.name).not.toContain(tenant.privateKey);
      const value = await env.CONFIG.get(key.name);
      expect(value ?? '').not.toContain(tenant.privateKey);
    }
  });

  it('DELETE erases config, keys, originals, variants and the audit log', async () => {
    const tenant = await createTenant();
    await putOriginal(tenant.id, 'p.jpg', await fixtureBytes(fixtures.jpegBaseline.path));
    expect((await get(`/${tenant.id}/tr:w-50/p.jpg`)).status).toBe(200);
    await api(tenant.privateKey, '/v1/accounts/settings', { method: 'PATCH', json: { defaultQuality: 70 } });
    // wait for the variant to reach the R2 store (written after the response)
    for (let i = 0; i < 50 && (await env.MEDIA.list({ prefix: `variants/${tenant.id}/` })).objects.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await env.MEDIA.list({ prefix: `variants/${tenant.id}/` })).objects.length).toBeGreaterThan(0);

    const res = await admin(`/admin/v1/tenants/${tenant.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await env.CONFIG.get(`tenant:${tenant.id}`)).toBeNull();
    expect((await env.MEDIA.list({ prefix: `library/${tenant.id}/` })).objects).toEqual([]);
    expect((await env.MEDIA.list({ prefix: `variants/${tenant.id}/` })).objects).toEqual([]);
    expect((await api(tenant.privateKey, '/v1/accounts/settings')).status).toBe(401);
    expect((await get(`/${tenant.id}/tr:w-50/p.jpg`)).status).toBe(404);
    const stub = env.AUDIT_LOG.get(env.AUDIT_LOG.idFromName(tenant.id));
    expect((await stub.verify()).count).toBe(0);
    expect((await admin(`/admin/v1/tenants/${tenant.id}`, { method: 'DELETE' })).status).toBe(404);
  });
});
