/**
 * A bounded variant space: sizes snapped to a step or an allowlist, qualities to allowed values, and a budget of new
 * variants per original per hour, tested with a flood of distinct widths. Cache hits never count against the budget.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { variantPrefix } from '../../../src/cache/keys';
import { defaultSettings, type VariantBounds } from '../../../src/tenants/config';
import { fixtures } from '../../fixtures/registry';
import { ADMIN } from '../admin-helpers';
import { decodeResponse, fixtureBytes, get, newTenant, putOriginal } from '../helpers';

/** Calls this isolate has made into the RateLimiter object (the operator's /admin/v1/isolate). */
async function rateLimiterCalls(): Promise<number> {
  const { objectCalls } = (await (await get('/admin/v1/isolate', { headers: ADMIN })).json()) as { objectCalls: Record<string, number> };
  return objectCalls['RateLimiter.check'] ?? 0;
}

const cacheStatus = (response: Response) => /cache;desc=([a-z-]+)/.exec(response.headers.get('Server-Timing') ?? '')?.[1];

async function tenantWith(variants: Partial<VariantBounds>): Promise<string> {
  const tenant = await newTenant({ variants: { ...defaultSettings().variants, ...variants } });
  await putOriginal(tenant, 'p.jpg', await fixtureBytes(fixtures.photo1000x800.path));
  return tenant;
}

/** Asks for `path` until a cache tier holds it (variants are stored after the response). */
async function made(path: string): Promise<Response> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const response = await get(path);
    expect(response.status, path).toBe(200);
    if (cacheStatus(response)?.startsWith('hit')) return response;
    await response.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${path} was never stored`);
}

async function storedVariants(tenant: string, path: string): Promise<number> {
  return (await env.MEDIA.list({ prefix: await variantPrefix(tenant, path) })).objects.length;
}

describe('snapping', () => {
  it('rounds widths and heights up to sizeStep: nearby URLs share one variant', async () => {
    const tenant = await tenantWith({ sizeStep: 100 });
    const a = await get(`/${tenant}/tr:w-401/p.jpg`);
    const b = await get(`/${tenant}/tr:w-450/p.jpg`);
    expect(a.headers.get('ETag')).toBe(b.headers.get('ETag'));
    expect((await decodeResponse(a)).width).toBe(500);
    expect((await decodeResponse(b)).width).toBe(500);
  });

  it('takes the next allowed width and the nearest allowed quality', async () => {
    const tenant = await tenantWith({ widths: [320, 640], qualities: [50, 90] });
    const res = await get(`/${tenant}/tr:w-500/p.jpg`);
    expect((await decodeResponse(res)).width).toBe(640);
    const low = await get(`/${tenant}/tr:w-320,q-10/p.jpg`);
    const fifty = await get(`/${tenant}/tr:w-320,q-50/p.jpg`);
    expect(low.headers.get('ETag')).toBe(fifty.headers.get('ETag'));
    const high = await get(`/${tenant}/tr:w-320,q-85/p.jpg`);
    expect(high.headers.get('ETag')).not.toBe(fifty.headers.get('ETag'));
    await Promise.all([low, fifty, high].map((r) => r.arrayBuffer()));
  });
});

describe('a budget of new variants per original per hour', () => {
  it('a flood of distinct widths makes no more variants than the budget and is served the nearest ones', async () => {
    const tenant = await tenantWith({ newPerOriginalPerHour: 3 });
    for (const width of [100, 200, 300]) await made(`/${tenant}/tr:w-${width}/p.jpg`);
    expect(await storedVariants(tenant, 'p.jpg')).toBe(3);

    for (let width = 101; width <= 140; width++) {
      const res = await get(`/${tenant}/tr:w-${width}/p.jpg`);
      expect(res.status, `w-${width}`).toBe(200);
      expect(cacheStatus(res), `w-${width}`).toBe('nearest');
      expect((await decodeResponse(res)).width, `w-${width}`).toBe(100);
    }
    const upper = await get(`/${tenant}/tr:w-260/p.jpg`);
    expect(cacheStatus(upper)).toBe('nearest');
    expect(upper.headers.get('Cache-Control')).toBe('public, max-age=3600');
    expect((await decodeResponse(upper)).width).toBe(300);
    expect(await storedVariants(tenant, 'p.jpg')).toBe(3);

    // Hits count for nothing and call no object: the variants already made still answer from the cache.
    const checksBefore = await rateLimiterCalls();
    const hit = await get(`/${tenant}/tr:w-200/p.jpg`);
    expect(cacheStatus(hit)).toMatch(/^hit/);
    expect((await decodeResponse(hit)).width).toBe(200);
    expect(await rateLimiterCalls()).toBe(checksBefore);
    const miss = await get(`/${tenant}/tr:w-141/p.jpg`);
    await miss.arrayBuffer();
    expect(await rateLimiterCalls()).toBe(checksBefore + 1);
  });

  it('a variant of a shape with nothing to stand in for it is a 429 with Retry-After', async () => {
    const tenant = await tenantWith({ newPerOriginalPerHour: 1 });
    await made(`/${tenant}/tr:w-100/p.jpg`);
    const res = await get(`/${tenant}/tr:w-100,e-grayscale/p.jpg`);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(((await res.json()) as { message: string }).message).toContain('1 new variants');
  });

  it('overBudget "refuse" answers 429 instead of a stand-in; other originals keep their own budget', async () => {
    const tenant = await tenantWith({ newPerOriginalPerHour: 2, overBudget: 'refuse' });
    await putOriginal(tenant, 'q.jpg', await fixtureBytes(fixtures.photo1000x800.path));
    await made(`/${tenant}/tr:w-10/p.jpg`);
    await made(`/${tenant}/tr:w-20/p.jpg`);
    const refused = await get(`/${tenant}/tr:w-30/p.jpg`);
    expect(refused.status).toBe(429);
    await refused.arrayBuffer();
    const other = await get(`/${tenant}/tr:w-30/q.jpg`);
    expect(other.status).toBe(200);
    expect((await decodeResponse(other)).width).toBe(30);
  });
});
