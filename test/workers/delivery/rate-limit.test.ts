/**
 * The delivery rate limit per client IP (`rateLimit.deliveryPerIpPerMinute`, RateLimiter Durable Object): a burst
 * from one IP gets 429 with `Retry-After` and `X-RateLimit-*`; another IP and another tenant are unaffected; without
 * a configured limit nothing is ever limited.
 */
import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/registry';
import { fixtureBytes, json, newTenant, ORIGIN, putOriginal } from '../helpers';

let bytes: Uint8Array;
beforeAll(async () => {
  bytes = await fixtureBytes(fixtures.jpegBaseline.path);
});

async function tenantLimitedTo(perMinute: number | null): Promise<string> {
  const id = await newTenant({ rateLimit: { deliveryPerIpPerMinute: perMinute, apiPerKeyPerMinute: null } });
  await putOriginal(id, 'a.jpg', bytes);
  return id;
}

const fetchFrom = (tenant: string, ip: string) =>
  SELF.fetch(`${ORIGIN}/${tenant}/tr:w-20/a.jpg`, { headers: { 'CF-Connecting-IP': ip } });

async function burst(tenant: string, ip: string, count: number): Promise<Response[]> {
  const responses: Response[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetchFrom(tenant, ip);
    responses.push(res);
    if (res.status === 200) await res.arrayBuffer();
  }
  return responses;
}

describe('delivery rate limit per IP', () => {
  it('a burst from one IP hits 429 with Retry-After and X-RateLimit-*; another IP and another tenant are unaffected', async () => {
    const tenant = await tenantLimitedTo(5);
    const responses = await burst(tenant, '198.51.100.10', 8);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);

    const limited = responses[5]!;
    expect(limited.headers.get('Content-Type')).toContain('application/json');
    const body = await json(limited);
    expect(body.message).toMatch(/rate limit/i);
    const retryAfter = Number(limited.headers.get('Retry-After'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(120);
    expect(limited.headers.get('X-RateLimit-Limit')).toBe('5');
    expect(limited.headers.get('X-RateLimit-Interval')).toBe('60000');
    const resetMs = Number(limited.headers.get('X-RateLimit-Reset'));
    expect(resetMs).toBeGreaterThan(0);
    expect(resetMs).toBeLessThanOrEqual(120_000);

    // Another client of the same tenant, including an IPv6 one.
    expect((await fetchFrom(tenant, '198.51.100.11')).status).toBe(200);
    expect((await fetchFrom(tenant, '2001:db8::10')).status).toBe(200);
    // The same IP at another tenant with the same limit.
    const other = await tenantLimitedTo(5);
    expect((await fetchFrom(other, '198.51.100.10')).status).toBe(200);
    // The limited IP is still limited.
    expect((await fetchFrom(tenant, '198.51.100.10')).status).toBe(429);
  });

  it('without a configured limit, nothing is limited', async () => {
    const tenant = await tenantLimitedTo(null);
    const responses = await burst(tenant, '198.51.100.20', 30);
    expect(responses.every((r) => r.status === 200)).toBe(true);
  });

  it('a limit of 1 lets exactly one request per minute through', async () => {
    const tenant = await tenantLimitedTo(1);
    const responses = await burst(tenant, '198.51.100.30', 3);
    expect(responses.map((r) => r.status)).toEqual([200, 429, 429]);
  });
});
