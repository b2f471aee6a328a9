/** Tenant config changes are read-modify-write: concurrent ones must not overwrite each other. */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { callApi, newTenantWithKey } from '../api-helpers';

describe('concurrent config writes', () => {
  it('five named transformations created at once are all kept', async () => {
    const t = await newTenantWithKey();
    const created = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => callApi(t.auth, 'POST', '/v1/named-transformations', { name: `concurrent_${n}`, transformation: `w-${n * 10}` })),
    );
    expect(created.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const listed = (await (await callApi(t.auth, 'GET', '/v1/named-transformations')).json()) as { name: string }[];
    expect(listed.map((n) => n.name).filter((n) => n.startsWith('concurrent_')).sort()).toEqual([1, 2, 3, 4, 5].map((n) => `concurrent_${n}`));
  });
});

describe('tenant lock', () => {
  it('a second holder waits until the first releases; a stale token releases nothing', async () => {
    const lock = env.TENANT_LOCK.get(env.TENANT_LOCK.idFromName(`lock-${crypto.randomUUID()}`));
    const first = await lock.acquire();
    let secondToken: string | undefined;
    const second = lock.acquire().then((token) => (secondToken = token));
    await new Promise((r) => setTimeout(r, 50));
    expect(secondToken).toBeUndefined();
    await lock.release('not-the-holder');
    await new Promise((r) => setTimeout(r, 50));
    expect(secondToken).toBeUndefined();
    await lock.release(first);
    await second;
    expect(secondToken).toMatch(/\S/);
    expect(secondToken).not.toBe(first);
  });
});
