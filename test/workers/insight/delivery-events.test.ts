/**
 * Real deliveries become analytics events: a miss that transforms, a hit, a 404, refusals by access rule and by
 * signature; the client's IP as the tenant's privacy setting keeps it.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { analyticsOf } from '../../../src/insight/analytics-client';
import { HOUR_MS, hourOf } from '../../../src/insight/event';
import { defaultSettings } from '../../../src/tenants/config';
import { fixtures } from '../../fixtures/registry';
import { fixtureBytes, newTenant, putOriginal } from '../helpers';
import { deliverAs, eventsOf } from './helpers';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

async function tenantWithPhoto(settings: Parameters<typeof newTenant>[0] = {}): Promise<string> {
  const tenant = await newTenant(settings);
  await putOriginal(tenant, 'photo.jpg', await fixtureBytes(fixtures.jpegBaseline.path));
  return tenant;
}

describe('delivery events', () => {
  it('records hits, misses, errors and access refusals with their client, and rolls them up', async () => {
    const tenant = await tenantWithPhoto({ access: { ...defaultSettings().access, ipBlock: ['192.0.2.0/24'] } });
    const client = { ip: '203.0.113.77', country: 'NL', referer: 'https://Shop.Example.com/page?q=1', userAgent: CHROME };
    const miss = await deliverAs(`/${tenant}/tr:w-40/photo.jpg`, client);
    expect(miss.status).toBe(200);
    const hit = await deliverAs(`/${tenant}/tr:w-40/photo.jpg`, { ...client, userAgent: IPHONE });
    expect(hit.status).toBe(200);
    expect((await deliverAs(`/${tenant}/missing.jpg`, client)).status).toBe(404);
    expect((await deliverAs(`/${tenant}/tr:w-40/photo.jpg`, { ...client, ip: '192.0.2.9' })).status).toBe(403);

    const events = await eventsOf(tenant, 4);
    expect(events).toHaveLength(4);
    const [first, second, missing, refused] = events;
    expect(first).toMatchObject({
      path: 'photo.jpg', status: 200, cache: 'miss', format: 'jpeg', referrer: 'shop.example.com', ip: '203.0.113.0/24',
      country: 'NL', user_agent: CHROME, browser: 'Chrome', os: 'Windows', device: 'desktop', transformed: 1, refusal: '',
    });
    expect(first!.bytes).toBe(Number(miss.headers.get('Content-Length')));
    expect(first!.cpu_ms).toBeGreaterThan(0);
    expect(second).toMatchObject({ status: 200, transformed: 0, browser: 'Safari', os: 'iOS', device: 'mobile' });
    expect(['edge', 'r2']).toContain(second!.cache);
    expect(second!.bytes).toBe(first!.bytes);
    expect(missing).toMatchObject({ path: 'missing.jpg', status: 404, cache: 'none', format: '', bytes: 0, refusal: '' });
    expect(refused).toMatchObject({ status: 403, refusal: 'access', ip: '192.0.2.0/24' });

    const now = Date.now();
    const [hour] = await analyticsOf(env, tenant).series({ from: hourOf(now) * HOUR_MS, to: now, granularity: 'hour' });
    expect(hour).toMatchObject({ requests: 4, errors: 1, refusals: 1, hits: 1, misses: 1, transformations: 1, bandwidth: 2 * first!.bytes });
    const statuses = await analyticsOf(env, tenant).top({ dimension: 'status', from: now - HOUR_MS, to: now + 1, limit: 10 });
    expect(Object.fromEntries(statuses.entries.map((e) => [e.value, e.count]))).toEqual({ '200': 2, '404': 1, '403': 1 });
  });

  it('records a refusal by signature', async () => {
    const tenant = await tenantWithPhoto({ restrictUnsignedUrls: true });
    expect((await deliverAs(`/${tenant}/photo.jpg`)).status).toBe(401);
    expect((await deliverAs(`/${tenant}/photo.jpg?ik-s=0000&ik-t=9999999999`)).status).toBe(401);
    const events = await eventsOf(tenant, 2);
    expect(events.map((e) => [e.status, e.refusal])).toEqual([[401, 'signature'], [401, 'signature']]);
    expect(events[0]!.ip).toBe('');
  });

  it('keeps IPs truncated by default, hashed or whole as the tenant chooses', async () => {
    const ips = ['198.51.100.23', '2001:db8:abcd:12:1::7'];
    const recorded = async (ipPrivacy: 'truncate' | 'hash' | 'none' | undefined) => {
      const tenant = await tenantWithPhoto(ipPrivacy ? { analytics: { ipPrivacy } } : {});
      for (const ip of ips) await deliverAs(`/${tenant}/photo.jpg`, { ip });
      await deliverAs(`/${tenant}/photo.jpg`, { ip: ips[0] });
      return { tenant, ips: (await eventsOf(tenant, 3)).map((e) => e.ip) };
    };
    expect((await recorded(undefined)).ips).toEqual(['198.51.100.0/24', '2001:db8:abcd::/48', '198.51.100.0/24']);
    expect((await recorded('none')).ips).toEqual(['198.51.100.23', '2001:db8:abcd:12:1::7', '198.51.100.23']);
    const a = await recorded('hash');
    const b = await recorded('hash');
    // Stable within a tenant (the same client counts as one), different between tenants, never the address.
    expect(a.ips[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(a.ips[2]).toBe(a.ips[0]);
    expect(a.ips[1]).not.toBe(a.ips[0]);
    expect(b.ips[0]).not.toBe(a.ips[0]);
  });
});
