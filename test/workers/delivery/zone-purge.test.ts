/**
 * Purges reach every location through Cloudflare's purge API by cache tag, when a zone is configured: a stand-in
 * for the API (the web-folder server's /cf routes) records what it is asked. Without a zone, nothing is sent.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { edgeCacheUrl } from '../../../src/cache/keys';
import { purgeVariants } from '../../../src/cache/purge';
import { writeVariant } from '../../../src/cache/variant-store';
import { cacheTags } from '../../../src/cache/zone-purge';
import { newTenant } from '../helpers';
import { servers, unique } from '../origin-servers';

const received = async (zone: string) =>
  ((await (await fetch(`${servers.webFolder}/_cf/${zone}`)).json()) as { method: string; path: string; authorization: string; body: unknown }[]).map(
    ({ authorization, body }) => ({ authorization, body }),
  );

describe('purging every location', () => {
  it('stores variants with the tenant\'s tag and the path\'s, and purges a path by its tag and a prefix by the tenant\'s', async () => {
    const tenantId = await newTenant();
    const zone = unique('z');
    const zoned = { ...env, CLOUDFLARE_API_TOKEN: 'purge-token', CLOUDFLARE_ZONE_ID: zone, CLOUDFLARE_API_BASE: `${servers.webFolder}/cf` };
    const at = { tenantId, path: 'photos/cat.jpg', key: 'k'.repeat(40) };
    await writeVariant(env.MEDIA, at, new Uint8Array([1, 2, 3]), 'image/webp', 3600);
    const [tenantTag, pathTag] = await cacheTags(tenantId, 'photos/cat.jpg');
    expect((await caches.default.match(edgeCacheUrl(tenantId, at.key)))?.headers.get('Cache-Tag')).toBe(`${tenantTag},${pathTag}`);

    expect(await purgeVariants(zoned, tenantId, { path: 'photos/cat.jpg' })).toBe(1);
    await purgeVariants(zoned, tenantId, { prefix: 'photos/' });
    expect(await received(zone)).toEqual([
      { authorization: 'Bearer purge-token', body: { tags: [pathTag] } },
      { authorization: 'Bearer purge-token', body: { tags: [tenantTag] } },
    ]);
    expect(await caches.default.match(edgeCacheUrl(tenantId, at.key))).toBeUndefined();
  });

  it('sends nothing without a zone, and fails loudly when the API refuses', async () => {
    const tenantId = await newTenant();
    const zone = unique('z');
    await purgeVariants({ ...env, CLOUDFLARE_API_BASE: `${servers.webFolder}/cf` }, tenantId, { path: 'a.jpg' });
    expect(await received(zone)).toEqual([]);
    const refusing = { ...env, CLOUDFLARE_API_TOKEN: 't', CLOUDFLARE_ZONE_ID: zone, CLOUDFLARE_API_BASE: `${servers.webFolder}/nothing-here` };
    await expect(purgeVariants(refusing, tenantId, { path: 'a.jpg' })).rejects.toThrow(/Cloudflare POST \/purge_cache answered 404/);
  });
});
