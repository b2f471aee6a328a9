/** Cache purge through `@imagekit/nodejs` (`client.cache.invalidation`): both variant tiers, by path and by prefix. */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { edgeCacheUrl, variantPrefix } from '../../../src/cache/keys';
import { FULL_ACCESS } from '../../../src/security/keys';
import { fixtures } from '../../fixtures/registry';
import { addKey } from '../api-helpers';
import { fixtureBytes, get, ORIGIN, putOriginal } from '../helpers';
import { auditTrail, failure, type LibraryTenant, newLibraryTenant, sdkFor } from '../library-helpers';

const PHOTO = fixtures.jpegBaseline;

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Variant keys of `path` in the R2 store. */
async function storedKeys(tenantId: string, path: string): Promise<string[]> {
  const listed = await env.MEDIA.list({ prefix: await variantPrefix(tenantId, path) });
  return listed.objects.map((o) => o.key.slice(o.key.lastIndexOf('/') + 1));
}

const inEdgeCache = async (tenantId: string, key: string) => (await caches.default.match(edgeCacheUrl(tenantId, key))) !== undefined;

/**
 * Stores `paths` and delivers two variants of each, waiting until both tiers hold them (variants are written
 * in waitUntil, after the response). Answers the variant keys per path.
 */
async function withVariants(t: LibraryTenant, paths: string[]): Promise<Record<string, string[]>> {
  const bytes = await fixtureBytes(PHOTO.path);
  const keys: Record<string, string[]> = {};
  for (const path of paths) {
    await putOriginal(t.tenantId, path, bytes);
    keys[path] = [];
    for (const width of [40, 80]) {
      const res = await get(`/${t.tenantId}/tr:w-${width}/${path}`);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      keys[path].push(res.headers.get('ETag')!.replaceAll('"', ''));
    }
    await eventually(async () => (await storedKeys(t.tenantId, path)).length === 2, `the variants of ${path} in R2`);
    for (const key of keys[path]) await eventually(() => inEdgeCache(t.tenantId, key), `variant ${key} in the edge cache`);
  }
  return keys;
}

async function purged(t: LibraryTenant, url: string): Promise<void> {
  const { requestId } = await t.client.cache.invalidation.create({ url });
  expect(requestId).toMatch(/^[0-9a-f]{24}$/);
  await eventually(async () => (await t.client.cache.invalidation.get(requestId!)).status === 'Completed', 'the purge to complete');
}

describe('cache purge', () => {
  it('answers 201 with a request id that turns Completed', async () => {
    const t = await newLibraryTenant();
    await withVariants(t, ['a.jpg']);
    const res = await t.client.cache.invalidation.create({ url: `${t.endpoint}/a.jpg` }).asResponse();
    expect(res.status).toBe(201);
    const { requestId } = (await res.json()) as { requestId: string };
    await eventually(async () => (await t.client.cache.invalidation.get(requestId)).status === 'Completed', 'Completed');
    expect(await t.client.cache.invalidation.get(requestId)).toEqual({ status: 'Completed' });
    expect(await auditTrail(t)).toContain(`cache.purge ${t.endpoint}/a.jpg`);
  });

  it("deletes every variant of the URL's file from both tiers, ignoring its transformation, and no other file's", async () => {
    const t = await newLibraryTenant();
    const keys = await withVariants(t, ['photos/a.jpg', 'photos/b.jpg']);
    await purged(t, `${t.endpoint}/tr:w-40/photos/a.jpg?tr=h-10`);

    expect(await storedKeys(t.tenantId, 'photos/a.jpg')).toEqual([]);
    for (const key of keys['photos/a.jpg']!) expect(await inEdgeCache(t.tenantId, key)).toBe(false);
    expect((await storedKeys(t.tenantId, 'photos/b.jpg')).sort()).toEqual([...keys['photos/b.jpg']!].sort());
    for (const key of keys['photos/b.jpg']!) expect(await inEdgeCache(t.tenantId, key)).toBe(true);

    // The next request renders again (and stores the variant again).
    const again = await get(`/${t.tenantId}/tr:w-40/photos/a.jpg`);
    expect(again.headers.get('Server-Timing')).toContain('cache;desc=miss');
  });

  it('purges every file under a URL ending in *', async () => {
    const t = await newLibraryTenant();
    const keys = await withVariants(t, ['shots/x.jpg', 'shots/deep/y.jpg', 'shotsmore.jpg', 'other/z.jpg']);
    await purged(t, `${t.endpoint}/shots/*`);

    expect(await storedKeys(t.tenantId, 'shots/x.jpg')).toEqual([]);
    expect(await storedKeys(t.tenantId, 'shots/deep/y.jpg')).toEqual([]);
    for (const key of [...keys['shots/x.jpg']!, ...keys['shots/deep/y.jpg']!]) expect(await inEdgeCache(t.tenantId, key)).toBe(false);
    expect(await storedKeys(t.tenantId, 'shotsmore.jpg')).toHaveLength(2);
    expect(await storedKeys(t.tenantId, 'other/z.jpg')).toHaveLength(2);
  });

  it('purges a file delivered through a URL endpoint prefix by its path after the prefix', async () => {
    const t = await newLibraryTenant();
    const created = await t.client.accounts.urlEndpoints.create({ description: 'assets', urlPrefix: 'assets', origins: [] });
    expect(created.urlPrefix).toBe('assets');
    const keys = await withVariants(t, ['a.jpg', 'b.jpg']);
    await purged(t, `${t.endpoint}/assets/a.jpg`);
    expect(await storedKeys(t.tenantId, 'a.jpg')).toEqual([]);
    expect((await storedKeys(t.tenantId, 'b.jpg')).sort()).toEqual([...keys['b.jpg']!].sort());
  });

  it("refuses anything but a delivery URL of the caller's own files with a 400 naming url", async () => {
    const t = await newLibraryTenant();
    const other = await newLibraryTenant();
    const bad = [
      'not a url',
      '',
      `${other.endpoint}/a.jpg`,
      `https://elsewhere.example/${t.tenantId}/a.jpg`,
      `${t.endpoint}/`,
      `${t.endpoint}`,
      `${ORIGIN}/v1/files`,
      `${t.endpoint}/a/../../${other.tenantId}/a.jpg`,
    ];
    for (const url of bad) {
      const refused = await failure(t.client.cache.invalidation.create({ url }));
      expect(refused.status, url).toBe(400);
      expect(refused.body.message, url).toContain('"url"');
    }
    const missing = await failure(t.client.cache.invalidation.create({} as { url: string }));
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('"url"');
  });

  it('answers 404 for an unknown request id, and for another tenant\'s', async () => {
    const t = await newLibraryTenant();
    const other = await newLibraryTenant();
    await putOriginal(other.tenantId, 'a.jpg', await fixtureBytes(PHOTO.path));
    const { requestId } = await other.client.cache.invalidation.create({ url: `${other.endpoint}/a.jpg` });
    expect((await failure(t.client.cache.invalidation.get('0123456789abcdef01234567'))).status).toBe(404);
    expect((await failure(t.client.cache.invalidation.get(requestId!))).status).toBe(404);
  });

  it('needs files read_write to purge, files read to ask for the status', async () => {
    const t = await newLibraryTenant();
    const { requestId } = await t.client.cache.invalidation.create({ url: `${t.endpoint}/a.jpg` });
    const reader = sdkFor((await addKey(t.tenantId, { ...FULL_ACCESS, files: 'read' })).privateKey);
    expect((await failure(reader.cache.invalidation.create({ url: `${t.endpoint}/a.jpg` }))).status).toBe(403);
    expect((await reader.cache.invalidation.get(requestId!)).status).toMatch(/^(Pending|Completed)$/);
    const none = sdkFor((await addKey(t.tenantId, { ...FULL_ACCESS, files: 'none' })).privateKey);
    expect((await failure(none.cache.invalidation.get(requestId!))).status).toBe(403);
  });
});
