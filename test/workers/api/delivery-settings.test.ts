/** The delivery settings `cors` and `variants` of /v1/accounts/settings, and CORS on the tenant API itself. */
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, createTenant } from '../admin-helpers';
import { ORIGIN } from '../helpers';

type Settings = Record<string, any>;

describe('cors and variants settings', () => {
  it('default to CORS open to "*" and no variant bounds', async () => {
    const tenant = await createTenant();
    const body = (await (await api(tenant.privateKey, '/v1/accounts/settings')).json()) as Settings;
    expect(body.cors).toEqual({ allowOrigins: ['*'] });
    expect(body.variants).toEqual({ sizeStep: null, widths: [], heights: [], qualities: [], newPerOriginalPerHour: null, overBudget: 'nearest' });
  });

  it('PATCH stores origins lower-case and size lists sorted without repeats', async () => {
    const tenant = await createTenant();
    const res = await api(tenant.privateKey, '/v1/accounts/settings', {
      method: 'PATCH',
      json: { cors: { allowOrigins: ['https://Shop.Example', 'https://admin.example:8443'] }, variants: { widths: [640, 320, 640], newPerOriginalPerHour: 50, overBudget: 'refuse' } },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Settings;
    expect(body.cors.allowOrigins).toEqual(['https://shop.example', 'https://admin.example:8443']);
    expect(body.variants).toMatchObject({ widths: [320, 640], newPerOriginalPerHour: 50, overBudget: 'refuse', sizeStep: null });
  });

  it.each([
    [{ cors: { allowOrigins: ['http://shop.example'] } }, '"cors.allowOrigins[0]"'],
    [{ cors: { allowOrigins: ['https://shop.example/'] } }, '"cors.allowOrigins[0]"'],
    [{ cors: { allowOrigins: ['https://shop.example/path'] } }, '"cors.allowOrigins[0]"'],
    [{ cors: { allowOrigins: ['*.example.com'] } }, '"cors.allowOrigins[0]"'],
    [{ cors: { allowOrigins: '*' } }, '"cors.allowOrigins"'],
    [{ cors: { allowAll: true } }, '"cors.allowAll"'],
    [{ variants: { sizeStep: 0 } }, '"variants.sizeStep"'],
    [{ variants: { widths: [100, 20000] } }, '"variants.widths[1]"'],
    [{ variants: { qualities: [101] } }, '"variants.qualities[0]"'],
    [{ variants: { newPerOriginalPerHour: -1 } }, '"variants.newPerOriginalPerHour"'],
    [{ variants: { overBudget: 'ignore' } }, '"variants.overBudget"'],
  ])('%j is a 400 naming %s', async (patch, field) => {
    const tenant = await createTenant();
    const res = await api(tenant.privateKey, '/v1/accounts/settings', { method: 'PATCH', json: patch });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain(field);
  });
});

describe('CORS on the tenant API', () => {
  it('answers preflights for /v1 and /api with Authorization allowed', async () => {
    for (const path of ['/v1/accounts/settings', '/api/v1/files/upload']) {
      const res = await SELF.fetch(`${ORIGIN}${path}`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://dashboard.example', 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'authorization, content-type, x-stainless-os' },
      });
      expect(res.status, path).toBe(204);
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
      expect(res.headers.get('Access-Control-Allow-Methods')).toContain('PATCH');
      expect(res.headers.get('Access-Control-Allow-Headers')).toContain('Authorization');
      expect(res.headers.get('Access-Control-Allow-Headers')).toContain('x-stainless-os');
      expect(Number(res.headers.get('Access-Control-Max-Age'))).toBeGreaterThan(0);
    }
  });

  it('marks API answers readable, request id included', async () => {
    const tenant = await createTenant();
    const res = await api(tenant.privateKey, '/v1/accounts/settings', { headers: { Origin: 'https://dashboard.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Access-Control-Expose-Headers')).toContain('x-ik-requestId');
  });
});
