/**
 * A key of tenant A can never read or change anything of tenant B: the tenant always comes from the key,
 * never from the request. Every tenant route is exercised with A's key, and B's state is checked unchanged.
 */
import { describe, expect, it } from 'vitest';
import { api, createTenant } from '../admin-helpers';

describe('tenant isolation', () => {
  it('settings: A reads and writes only its own', async () => {
    const a = await createTenant();
    const b = await createTenant();
    await api(b.privateKey, '/v1/accounts/settings', { method: 'PATCH', json: { defaultQuality: 42 } });
    const before = await (await api(b.privateKey, '/v1/accounts/settings')).text();
    await api(a.privateKey, '/v1/accounts/settings', { method: 'PATCH', json: { defaultQuality: 99, restrictUnsignedUrls: true } });
    expect(await (await api(b.privateKey, '/v1/accounts/settings')).text()).toBe(before);
    expect(((await (await api(a.privateKey, '/v1/accounts/settings')).json()) as any).defaultQuality).toBe(99);
  });

  it('api keys: A cannot list or delete B\'s keys', async () => {
    const a = await createTenant();
    const b = await createTenant();
    const bKeys = (await (await api(b.privateKey, '/v1/accounts/api-keys')).json()) as { id: string; publicKey: string }[];
    const aKeys = await (await api(a.privateKey, '/v1/accounts/api-keys')).text();
    expect(aKeys).not.toContain(bKeys[0]!.id);
    expect(aKeys).not.toContain(bKeys[0]!.publicKey);
    const extra = (await (await api(b.privateKey, '/v1/accounts/api-keys', { method: 'POST', json: { name: 'b2', permissions: {} } })).json()) as { id: string };
    expect((await api(a.privateKey, `/v1/accounts/api-keys/${extra.id}`, { method: 'DELETE' })).status).toBe(404);
    const after = (await (await api(b.privateKey, '/v1/accounts/api-keys')).json()) as { id: string }[];
    expect(after.map((k) => k.id)).toContain(extra.id);
  });

  it('audit logs: A sees only its own entries', async () => {
    const a = await createTenant();
    const b = await createTenant();
    await api(b.privateKey, '/v1/accounts/settings', { method: 'PATCH', json: { defaultQuality: 33 } });
    const page = (await (await api(a.privateKey, '/v1/accounts/audit-logs')).json()) as { entries: { target: string; action: string }[] };
    expect(page.entries.map((e) => e.action)).toEqual(['tenant.create']);
    expect(page.entries[0]!.target).toBe(`tenant:${a.id}`);
  });

  it('a tenant id in the path or query cannot redirect a key to another tenant', async () => {
    const a = await createTenant();
    const b = await createTenant();
    for (const path of [`/v1/accounts/settings?tenant=${b.id}`, `/v1/accounts/api-keys?tenantId=${b.id}`]) {
      const text = await (await api(a.privateKey, path)).text();
      expect(text).not.toContain(b.publicKey);
    }
  });
});
