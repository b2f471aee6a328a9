/**
 * Cache hits that touch nothing: a web-folder origin is asked only as often as its caching headers (within the
 * origin's bounds) allow, a changed file is noticed once its freshness runs out, a failing origin leaves cached
 * variants serving, and a burst of misses reads the original once. The web-folder server logs every request it
 * sees, so "touch nothing" is counted where it happens.
 */
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/registry';
import { callApi, newTenantWithKey, type TenantWithKey } from '../api-helpers';
import { decodeResponse, fixtureBytes, get } from '../helpers';
import { putWeb, servers, unique, webLog } from '../origin-servers';

type Json = Record<string, unknown>;

async function post(t: TenantWithKey, path: string, body: Json): Promise<Json> {
  const response = await callApi(t.auth, 'POST', path, body);
  if (response.status !== 201) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Json;
}

/** A tenant whose `web` endpoint reads the web-folder server's `/files/<namespace>/`. */
async function webTenant(namespace: string, bounds: Json = {}): Promise<TenantWithKey> {
  const t = await newTenantWithKey();
  const origin = await post(t, '/v1/accounts/origins', { type: 'WEB_FOLDER', name: 'web', baseUrl: `${servers.webFolder}/files/${namespace}/`, ...bounds });
  await post(t, '/v1/accounts/url-endpoints', { description: 'web', urlPrefix: 'web', origins: [origin.id] });
  return t;
}

const cacheStatus = (response: Response) => /cache;desc=([a-z-]+)/.exec(response.headers.get('Server-Timing') ?? '')?.[1];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Requests `path` until a cache tier answers (the variant and the original's record are written after a response). */
async function untilHit(path: string): Promise<Response> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const response = await get(path);
    expect(response.status).toBe(200);
    if (cacheStatus(response)?.startsWith('hit')) return response;
    await response.arrayBuffer();
    await sleep(20);
  }
  throw new Error(`${path} never came from the cache`);
}

/** Requests `path` until its decoded height is `height` (a background revalidation lands after a response). */
async function untilHeight(path: string, height: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await decodeResponse(await get(path))).height === height) return;
    await sleep(50);
  }
  throw new Error(`${path} never became ${height} high`);
}

describe('cache hits of an origin reached over the network', () => {
  it('ask the origin nothing while its Cache-Control allows: 20 hits, no HEAD and no GET', async () => {
    const namespace = unique('hits');
    await putWeb(`${namespace}/photo.jpg`, await fixtureBytes(fixtures.photo1000x800.path), {
      contentType: 'image/jpeg',
      cacheControl: 'public, max-age=3600',
    });
    const t = await webTenant(namespace);
    const path = `/${t.tenantId}/web/tr:w-300/photo.jpg`;
    await (await untilHit(path)).arrayBuffer();
    const before = await webLog(namespace);
    expect(before.filter((line) => line.startsWith('GET'))).toHaveLength(1);

    for (let i = 0; i < 20; i++) {
      const response = await get(path);
      expect(cacheStatus(response)).toMatch(/^hit-/);
      expect((await decodeResponse(response)).width).toBe(300);
    }
    expect(await webLog(namespace)).toEqual(before);
    // A 304 for the ETag it handed out touches nothing either.
    const etag = (await get(path)).headers.get('ETag')!;
    expect((await get(path, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    expect(await webLog(namespace)).toEqual(before);
  });

  it('notice a changed file once its freshness (at most maxCacheSeconds) has run out', async () => {
    const namespace = unique('changed');
    await putWeb(`${namespace}/photo.jpg`, await fixtureBytes(fixtures.photo1000x800.path), {
      contentType: 'image/jpeg',
      cacheControl: 'public, max-age=3600',
    });
    const t = await webTenant(namespace, { minCacheSeconds: 0, maxCacheSeconds: 1 });
    const path = `/${t.tenantId}/web/tr:w-100/photo.jpg`;
    expect((await decodeResponse(await untilHit(path))).height).toBe(80);

    // 64×48 instead of 1000×800: the same w-100 comes out 75 high.
    await putWeb(`${namespace}/photo.jpg`, await fixtureBytes(fixtures.pngAlphaGradient.path), { contentType: 'image/png' });
    expect((await decodeResponse(await get(path))).height).toBe(80);
    await sleep(1_100);
    await untilHeight(path, 75);
  });

  it('keep serving cached variants while the origin fails (stale-if-error), and say so for anything not cached', async () => {
    const namespace = unique('down');
    const bytes = await fixtureBytes(fixtures.photo1000x800.path);
    const cacheControl = 'max-age=1, stale-while-revalidate=0, stale-if-error=3600';
    await putWeb(`${namespace}/photo.jpg`, bytes, { contentType: 'image/jpeg', cacheControl });
    const t = await webTenant(namespace, { minCacheSeconds: 0 });
    const path = `/${t.tenantId}/web/tr:w-200/photo.jpg`;
    const cached = new Uint8Array(await (await untilHit(path)).arrayBuffer());

    await putWeb(`${namespace}/photo.jpg`, bytes, { contentType: 'image/jpeg', cacheControl, failing: true });
    await sleep(1_100);
    const during = await get(path);
    expect(during.status).toBe(200);
    expect(new Uint8Array(await during.arrayBuffer())).toEqual(cached);
    expect((await webLog(namespace)).at(-1)).toBe(`HEAD /files/${namespace}/photo.jpg`);

    const uncached = await get(`/${t.tenantId}/web/tr:w-201/photo.jpg`);
    expect(uncached.status).toBeGreaterThanOrEqual(500);
    expect(((await uncached.json()) as { message: string }).message).toMatch(/origin/i);
  });

  it('read the original once for a burst of misses', async () => {
    const namespace = unique('burst');
    await putWeb(`${namespace}/photo.jpg`, await fixtureBytes(fixtures.photo1000x800.path), {
      contentType: 'image/jpeg',
      cacheControl: 'public, max-age=3600',
    });
    const t = await webTenant(namespace);
    const responses = await Promise.all(Array.from({ length: 8 }, () => get(`/${t.tenantId}/web/tr:w-120/photo.jpg`)));
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect((await decodeResponse(response)).width).toBe(120);
    }
    expect((await webLog(namespace)).filter((line) => line.startsWith('GET'))).toHaveLength(1);
  });
});
