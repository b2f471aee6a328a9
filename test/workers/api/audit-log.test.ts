/** Every API write is audited in a hash-chained log that can be paged and verified. */
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, createTenant } from '../admin-helpers';

interface Page {
  entries: { id: string; at: string; actor: string; ip: string; country: string; action: string; target: string; hash: string; prevHash: string }[];
  nextCursor: string | null;
}

const audit = async (privateKey: string, query = '') => (await (await api(privateKey, `/v1/accounts/audit-logs${query}`)).json()) as Page;

describe('audit log', () => {
  it('records who, what, when and from where for every write, chained by hash', async () => {
    const tenant = await createTenant();
    const headers = { 'CF-Connecting-IP': '198.51.100.7' };
    await api(tenant.privateKey, '/v1/accounts/settings', { method: 'PATCH', json: { defaultQuality: 75 }, headers });
    const key = (await (await api(tenant.privateKey, '/v1/accounts/api-keys', { method: 'POST', json: { name: 'k', permissions: {} }, headers })).json()) as { id: string };
    await api(tenant.privateKey, `/v1/accounts/api-keys/${key.id}`, { method: 'DELETE', headers });
    // reads are not audited
    await api(tenant.privateKey, '/v1/accounts/settings');

    const page = await audit(tenant.privateKey);
    expect(page.entries.map((e) => e.action)).toEqual(['tenant.create', 'settings.update', 'api-key.create', 'api-key.delete']);
    expect(page.entries[0]!.actor).toBe('operator');
    const [, update, created, removed] = page.entries;
    expect(update!.ip).toBe('198.51.100.7');
    expect(update!.actor).toMatch(/^key:key_/);
    expect(created!.target).toBe(`api-key:${key.id}`);
    expect(removed!.target).toBe(`api-key:${key.id}`);
    for (let i = 1; i < page.entries.length; i++) expect(page.entries[i]!.prevHash).toBe(page.entries[i - 1]!.hash);
    expect(page.entries[0]!.prevHash).toBe('0'.repeat(64));
    expect(JSON.stringify(page)).not.toContain('private_');

    const verify = await (await api(tenant.privateKey, '/v1/accounts/audit-logs/verify')).json();
    expect(verify).toEqual({ ok: true, count: 4, head: page.entries[3]!.hash });
  });

  it('pages with limit and cursor, and filters by action and time', async () => {
    const tenant = await createTenant();
    for (let q = 60; q < 65; q++) await api(tenant.privateKey, '/v1/accounts/settings', { method: 'PATCH', json: { defaultQuality: q } });
    const first = await audit(tenant.privateKey, '?limit=2');
    expect(first.entries).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await audit(tenant.privateKey, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.entries[0]!.prevHash).toBe(first.entries[1]!.hash);
    const updates = await audit(tenant.privateKey, '?action=settings.update&limit=100');
    expect(updates.entries).toHaveLength(5);
    expect(updates.nextCursor).toBeNull();
    const future = await audit(tenant.privateKey, `?since=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(future.entries).toEqual([]);
    expect((await api(tenant.privateKey, '/v1/accounts/audit-logs?limit=0')).status).toBe(400);
    expect((await api(tenant.privateKey, '/v1/accounts/audit-logs?since=yesterday')).status).toBe(400);
  });

  it('verify names the first entry whose content or link was tampered with', async () => {
    const tenant = await createTenant();
    for (let q = 70; q < 74; q++) await api(tenant.privateKey, '/v1/accounts/settings', { method: 'PATCH', json: { defaultQuality: q } });
    const page = await audit(tenant.privateKey);
    const victim = page.entries[2]!;
    const stub = env.AUDIT_LOG.get(env.AUDIT_LOG.idFromName(tenant.id));
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE entries SET target = 'something-else' WHERE id = ?", victim.id);
    });
    const verify = (await (await api(tenant.privateKey, '/v1/accounts/audit-logs/verify')).json()) as Record<string, unknown>;
    expect(verify).toMatchObject({ ok: false, brokenAt: victim.id });

    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE entries SET target = ? WHERE id = ?", victim.target, victim.id);
      state.storage.sql.exec('DELETE FROM entries WHERE id = ?', page.entries[1]!.id);
    });
    const afterDelete = (await (await api(tenant.privateKey, '/v1/accounts/audit-logs/verify')).json()) as Record<string, unknown>;
    expect(afterDelete).toMatchObject({ ok: false, brokenAt: victim.id });
  });

  it('reading needs the audit permission', async () => {
    const tenant = await createTenant();
    const res = await api(tenant.privateKey, '/v1/accounts/api-keys', { method: 'POST', json: { name: 'no-audit', permissions: { settings: 'read' } } });
    const key = (await res.json()) as { privateKey: string };
    expect((await api(key.privateKey, '/v1/accounts/audit-logs')).status).toBe(403);
    expect((await api(key.privateKey, '/v1/accounts/audit-logs/verify')).status).toBe(403);
  });
});
