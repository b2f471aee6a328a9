/** `rateLimit.apiPerKeyPerMinute`: one key's burst is stopped with 429 and ImageKit's headers; others go on. */
import { describe, expect, it } from 'vitest';
import { api, createTenant } from '../admin-helpers';

describe('API rate limit per key', () => {
  it('holds under a burst from one key, leaving other keys and tenants unaffected', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const second = (await (await api(tenant.privateKey, '/v1/accounts/api-keys', { method: 'POST', json: { name: 'second', permissions: { settings: 'read' } } })).json()) as { privateKey: string };
    const patched = await api(tenant.privateKey, '/v1/accounts/settings', { method: 'PATCH', json: { rateLimit: { apiPerKeyPerMinute: 5 } } });
    expect(patched.status).toBe(200);

    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 8; i++) {
      const res = await api(tenant.privateKey, '/v1/accounts/settings');
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    // The PATCH itself counted once: four more pass, then the limit holds.
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(5);
    expect(statuses.slice(-3)).toEqual([429, 429, 429]);
    expect(limited!.headers.get('X-RateLimit-Limit')).toBe('5');
    expect(Number(limited!.headers.get('X-RateLimit-Reset'))).toBeGreaterThan(0);
    expect(limited!.headers.get('X-RateLimit-Interval')).toBe('60000');
    expect(Number(limited!.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
    expect(((await limited!.json()) as { message: string }).message).toMatch(/rate limit/i);

    expect((await api(second.privateKey, '/v1/accounts/settings')).status).toBe(200);
    for (let i = 0; i < 8; i++) expect((await api(other.privateKey, '/v1/accounts/settings')).status).toBe(200);
  });

  it('without a configured limit no request is ever refused', async () => {
    const tenant = await createTenant();
    for (let i = 0; i < 30; i++) expect((await api(tenant.privateKey, '/v1/accounts/settings')).status).toBe(200);
  });
});
