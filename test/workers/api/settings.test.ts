/** `/v1/accounts/settings`: the DESIGN §3.1 shape, partial patches, 400 naming the field, permissions. */
import { describe, expect, it } from 'vitest';
import { api, createTenant } from '../admin-helpers';

describe('settings API', () => {
  it('GET answers the documented shape with defaults', async () => {
    const tenant = await createTenant();
    const res = await api(tenant.privateKey, '/v1/accounts/settings');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      restrictUnsignedUrls: false,
      restrictUnnamedTransformations: false,
      access: { ipAllow: [], ipBlock: [], countryAllow: [], countryBlock: [], referrerAllow: [], referrerBlock: [], userAgentBlock: [] },
      rateLimit: { deliveryPerIpPerMinute: null, apiPerKeyPerMinute: null },
      limits: { maxInputMegapixels: 50, maxInputBytes: 41943040, maxOutputDimension: 8192 },
    });
  });

  it('PATCH merges a partial object and answers the whole settings', async () => {
    const tenant = await createTenant();
    const res = await api(tenant.privateKey, '/v1/accounts/settings', {
      method: 'PATCH',
      json: { restrictUnsignedUrls: true, access: { ipBlock: ['203.0.113.0/24', '2001:db8::/32'], countryBlock: ['de'] }, limits: { maxInputMegapixels: 24 } },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(body.restrictUnsignedUrls).toBe(true);
    expect(body.access.ipBlock).toEqual(['203.0.113.0/24', '2001:db8::/32']);
    expect(body.access.countryBlock).toEqual(['DE']);
    expect(body.access.ipAllow).toEqual([]);
    expect(body.limits).toMatchObject({ maxInputMegapixels: 24, maxOutputDimension: 8192 });
    const again = (await (await api(tenant.privateKey, '/v1/accounts/settings')).json()) as Record<string, any>;
    expect(again).toEqual(body);
  });

  it.each([
    [{ restrictUnsignedUrls: 'yes' }, '"restrictUnsignedUrls"'],
    [{ access: { ipBlock: ['300.1.1.1'] } }, '"access.ipBlock[0]"'],
    [{ access: { ipAllow: 'all' } }, '"access.ipAllow"'],
    [{ access: { countryAllow: ['Germany'] } }, '"access.countryAllow[0]"'],
    [{ access: { referrerBlock: ['*.evil.com'] } }, '"access.referrerBlock[0]"'],
    [{ access: { userAgentBlock: [''] } }, '"access.userAgentBlock[0]"'],
    [{ access: { nope: [] } }, '"access.nope"'],
    [{ rateLimit: { deliveryPerIpPerMinute: 0 } }, '"rateLimit.deliveryPerIpPerMinute"'],
    [{ rateLimit: { apiPerKeyPerMinute: 1.5 } }, '"rateLimit.apiPerKeyPerMinute"'],
    [{ limits: { maxInputBytes: -1 } }, '"limits.maxInputBytes"'],
    [{ limits: { maxOutputDimension: 99999 } }, '"limits.maxOutputDimension"'],
    [{ unknownField: 1 }, '"unknownField"'],
    [{ formats: 'off' }, '"formats"'],
    [{ formats: { avif: 'sometimes' } }, '"formats.avif"'],
    [{ formats: { avif: null } }, '"formats.avif"'],
    [{ formats: { avifMaxMegapixels: 0 } }, '"formats.avifMaxMegapixels"'],
    [{ formats: { avifMaxMegapixels: '1' } }, '"formats.avifMaxMegapixels"'],
    [{ formats: { webp: 'off' } }, '"formats.webp"'],
  ])('PATCH %j → 400 naming %s, nothing changed', async (patch, field) => {
    const tenant = await createTenant();
    const before = await (await api(tenant.privateKey, '/v1/accounts/settings')).text();
    const res = await api(tenant.privateKey, '/v1/accounts/settings', {
      method: 'PATCH',
      json: { restrictUnnamedTransformations: true, ...patch },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain(field);
    expect(await (await api(tenant.privateKey, '/v1/accounts/settings')).text()).toBe(before);
  });

  it('refuses bodies that are not JSON objects', async () => {
    const tenant = await createTenant();
    for (const body of ['not json', '[1,2]', '"x"']) {
      const res = await api(tenant.privateKey, '/v1/accounts/settings', { method: 'PATCH', body, headers: { 'Content-Type': 'application/json' } });
      expect(res.status).toBe(400);
    }
  });

  it('needs settings:read to read and settings:read_write to change', async () => {
    const tenant = await createTenant();
    const created = await api(tenant.privateKey, '/v1/accounts/api-keys', {
      method: 'POST',
      json: { name: 'reader', permissions: { files: 'read_write', settings: 'read', audit: 'none' } },
    });
    const reader = ((await created.json()) as { privateKey: string }).privateKey;
    expect((await api(reader, '/v1/accounts/settings')).status).toBe(200);
    const denied = await api(reader, '/v1/accounts/settings', { method: 'PATCH', json: { defaultQuality: 50 } });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { message: string }).message).toContain('settings');
    const none = await api(tenant.privateKey, '/v1/accounts/api-keys', {
      method: 'POST',
      json: { name: 'files only', permissions: { files: 'read', settings: 'none', audit: 'none' } },
    });
    const filesOnly = ((await none.json()) as { privateKey: string }).privateKey;
    expect((await api(filesOnly, '/v1/accounts/settings')).status).toBe(403);
  });

  it('formats: defaults to the AVIF budget, PATCHes one field at a time, and audits each change', async () => {
    const tenant = await createTenant();
    const read = async () => ((await (await api(tenant.privateKey, '/v1/accounts/settings')).json()) as any).formats;
    expect(await read()).toEqual({ avif: 'budget', avifMaxMegapixels: 0.5 });
    const off = await api(tenant.privateKey, '/v1/accounts/settings', { method: 'PATCH', json: { formats: { avif: 'off' } } });
    expect(off.status).toBe(200);
    expect(((await off.json()) as any).formats).toEqual({ avif: 'off', avifMaxMegapixels: 0.5 });
    await api(tenant.privateKey, '/v1/accounts/settings', { method: 'PATCH', json: { formats: { avifMaxMegapixels: 2.5 } } });
    expect(await read()).toEqual({ avif: 'off', avifMaxMegapixels: 2.5 });
    const log = (await (await api(tenant.privateKey, '/v1/accounts/audit-logs?action=settings.update')).json()) as { entries: { target: string }[] };
    expect(log.entries.map((e) => e.target)).toEqual(['settings', 'settings']);
    const error = await api(tenant.privateKey, '/v1/accounts/settings', { method: 'PATCH', json: { formats: { avif: 'maybe' } } });
    expect(error.headers.get('Content-Type')).toContain('application/json');
    expect(await error.json()).toMatchObject({ message: expect.stringContaining('"formats.avif": expected one of off, budget, always'), help: expect.any(String) });
  });

  it('tenant settings take effect in delivery limits', async () => {
    const tenant = await createTenant();
    const res = await api(tenant.privateKey, '/v1/accounts/settings', { method: 'PATCH', json: { limits: { maxOutputDimension: 100 } } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).limits.maxOutputDimension).toBe(100);
  });
});
