/** Variant caching: canonical keys, ETag / 304, the two cache tiers, and no stale variants. */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { edgeCacheUrl } from '../../../src/cache/keys';
import { fixtures } from '../../fixtures/registry';
import { decodeResponse, fixtureBytes, get, newTenant, putOriginal } from '../helpers';

async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

/** Variants are stored in waitUntil, after the response; tests that expect a hit wait for the edge copy. */
async function edgeCopyOf(tenant: string, res: Response): Promise<void> {
  const key = res.headers.get('ETag')!.replaceAll('"', '');
  const found = await eventually(async () => (await caches.default.match(edgeCacheUrl(tenant, key))) !== undefined);
  expect(found, 'the variant reached the edge cache').toBe(true);
}

const cacheStatus = (res: Response) => /cache;desc=([a-z-]+)/.exec(res.headers.get('Server-Timing') ?? '')?.[1];

async function tenantWithPhoto(path = 'p.jpg') {
  const tenant = await newTenant();
  await putOriginal(tenant, path, await fixtureBytes(fixtures.photo1000x800.path));
  return tenant;
}

describe('variant cache', () => {
  it('misses, then hits the edge cache with the same bytes and ETag', async () => {
    const tenant = await tenantWithPhoto();
    const first = await get(`/${tenant}/tr:w-300/p.jpg`);
    expect(cacheStatus(first)).toBe('miss');
    const firstBytes = new Uint8Array(await first.arrayBuffer());
    await edgeCopyOf(tenant, first);
    const second = await get(`/${tenant}/tr:w-300/p.jpg`);
    expect(cacheStatus(second)).toBe('hit-edge');
    expect(second.headers.get('ETag')).toBe(first.headers.get('ETag'));
    expect(second.headers.get('Content-Type')).toBe('image/jpeg');
    expect(new Uint8Array(await second.arrayBuffer())).toEqual(firstBytes);
  });

  it('answers If-None-Match with 304 and no body', async () => {
    const tenant = await tenantWithPhoto();
    const first = await get(`/${tenant}/tr:w-310/p.jpg`);
    const etag = first.headers.get('ETag')!;
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    const again = await get(`/${tenant}/tr:w-310/p.jpg`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('ETag')).toBe(etag);
    expect(await again.text()).toBe('');
    const other = await get(`/${tenant}/tr:w-310/p.jpg`, { headers: { 'If-None-Match': '"something-else"' } });
    expect(other.status).toBe(200);
  });

  it('shares one entry between equivalent URLs (order, aliases, path or query form)', async () => {
    const tenant = await tenantWithPhoto();
    const base = await get(`/${tenant}/tr:w-300,h-200,f-jpg/p.jpg`);
    expect(cacheStatus(base)).toBe('miss');
    await edgeCopyOf(tenant, base);
    for (const url of [
      `/${tenant}/tr:h-200,w-300,f-jpeg/p.jpg`,
      `/${tenant}/p.jpg?tr=h-200,f-jpg,w-300`,
      `/${tenant}/tr:f-jpg/p.jpg?tr=w-300,h-200`,
      `/${tenant}/tr:w-300,h-200,f-jpg/p.jpg?updatedAt=1700000000000&ik-sdk-version=javascript-1.4.3`,
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('ETag'), url).toBe(base.headers.get('ETag'));
      expect(cacheStatus(res), url).toBe('hit-edge');
    }
  });

  it('keys negotiated formats by Accept class', async () => {
    const tenant = await tenantWithPhoto();
    const webp = await get(`/${tenant}/tr:w-200/p.jpg`, { headers: { Accept: 'image/webp,*/*' } });
    const avif = await get(`/${tenant}/tr:w-200/p.jpg`, { headers: { Accept: 'image/avif,image/webp,*/*' } });
    const plain = await get(`/${tenant}/tr:w-200/p.jpg`, { headers: { Accept: '*/*' } });
    const tags = new Set([webp, avif, plain].map((r) => r.headers.get('ETag')));
    expect(tags.size).toBe(3);
    await edgeCopyOf(tenant, webp);
    const webpAgain = await get(`/${tenant}/tr:w-200/p.jpg`, { headers: { Accept: 'image/webp' } });
    expect(webpAgain.headers.get('Content-Type')).toBe('image/webp');
    expect(cacheStatus(webpAgain)).toBe('hit-edge');
  });

  it('falls back to the R2 variant store when the edge cache lost the entry', async () => {
    const tenant = await tenantWithPhoto();
    const first = await get(`/${tenant}/tr:w-250/p.jpg`);
    const key = first.headers.get('ETag')!.replaceAll('"', '');
    await first.arrayBuffer();
    // the edge copy is written in waitUntil, after the response: wait for it, then drop it
    expect(await eventually(() => caches.default.delete(edgeCacheUrl(tenant, key)))).toBe(true);
    const second = await get(`/${tenant}/tr:w-250/p.jpg`);
    expect(cacheStatus(second)).toBe('hit-store');
    expect((await decodeResponse(second)).width).toBe(250);
    await edgeCopyOf(tenant, second);
    const listed = await env.MEDIA.list({ prefix: `variants/${tenant}/` });
    expect(listed.objects.map((o) => o.key.split('/').pop())).toContain(key);
    const third = await get(`/${tenant}/tr:w-250/p.jpg`);
    expect(cacheStatus(third)).toBe('hit-edge');
  });

  it('never serves a stale variant after the original changes', async () => {
    const tenant = await tenantWithPhoto();
    const before = await get(`/${tenant}/tr:w-100/p.jpg`);
    expect((await decodeResponse(before)).height).toBe(80);
    await putOriginal(tenant, 'p.jpg', await fixtureBytes(fixtures.portrait1.path));
    const after = await get(`/${tenant}/tr:w-100/p.jpg`);
    expect(cacheStatus(after)).toBe('miss');
    expect(after.headers.get('ETag')).not.toBe(before.headers.get('ETag'));
    expect((await decodeResponse(after)).height).toBe(150);
  });

  it('marks variants cacheable for a long time', async () => {
    const tenant = await tenantWithPhoto();
    const res = await get(`/${tenant}/tr:w-90/p.jpg`);
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=31536000');
  });
});
