/**
 * f-auto by cost (settings.formats): AVIF under the tenant's budget, WebP above it, or always / never; the choice
 * is part of the variant's name; and an untransformed URL never answers more bytes than the original.
 */
import { describe, expect, it } from 'vitest';
import { probe } from '../../../src/codecs/probe';
import { encoderFor } from '../../../src/codecs/registry';
import { forgetTenant, readTenantFresh, saveTenant } from '../../../src/tenants/store';
import type { FormatSettings } from '../../../src/tenants/format-settings';
import { env } from 'cloudflare:test';
import { fixtures } from '../../fixtures/registry';
import { decodeImage, decodeResponse, fixtureBytes, get, newTenant, putOriginal } from '../helpers';

const CHROME = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';

async function tenantWith(formats: FormatSettings): Promise<string> {
  const tenant = await newTenant({ formats });
  await putOriginal(tenant, 'p.jpg', await fixtureBytes(fixtures.photo1000x800.path));
  return tenant;
}

async function chromeGets(tenant: string, tr: string): Promise<{ type: string | null; vary: string | null; width: number }> {
  const res = await get(`/${tenant}/tr:${tr}/p.jpg`, { headers: { Accept: CHROME } });
  expect(res.status).toBe(200);
  const body = new Uint8Array(await res.arrayBuffer());
  const info = probe(body);
  expect(`image/${info.format}`).toBe(res.headers.get('Content-Type'));
  return { type: res.headers.get('Content-Type'), vary: res.headers.get('Vary'), width: info.width };
}

describe('f-auto chooses by cost', () => {
  it('under "budget", Chrome gets AVIF for a small output and WebP for a large one', async () => {
    // 0.1 MP: w-300 (300×240 = 0.07 MP) is within, w-600 (600×480 = 0.29 MP) is not.
    const tenant = await tenantWith({ avif: 'budget', avifMaxMegapixels: 0.1 });
    expect(await chromeGets(tenant, 'w-300')).toEqual({ type: 'image/avif', vary: 'Accept', width: 300 });
    expect(await chromeGets(tenant, 'w-600')).toEqual({ type: 'image/webp', vary: 'Accept', width: 600 });
    expect(await chromeGets(tenant, 'w-600,f-auto')).toEqual({ type: 'image/webp', vary: 'Accept', width: 600 });
  });

  it('the default budget answers AVIF for a page-sized image and WebP for the whole photo', async () => {
    const tenant = await newTenant();
    await putOriginal(tenant, 'p.jpg', await fixtureBytes(fixtures.photo1000x800.path));
    expect((await chromeGets(tenant, 'w-400')).type).toBe('image/avif');
    // No transformation: the 1000×800 original itself, 0.8 MP.
    const plain = await get(`/${tenant}/p.jpg`, { headers: { Accept: CHROME } });
    expect(plain.headers.get('Content-Type')).toBe('image/webp');
    expect(plain.headers.get('Vary')).toBe('Accept');
  });

  it('"off" never answers AVIF to f-auto, whatever the size; f-avif still gives AVIF', async () => {
    const tenant = await tenantWith({ avif: 'off', avifMaxMegapixels: 100 });
    expect((await chromeGets(tenant, 'w-50')).type).toBe('image/webp');
    expect((await chromeGets(tenant, 'w-600')).type).toBe('image/webp');
    const res = await get(`/${tenant}/tr:w-50,f-avif/p.jpg`, { headers: { Accept: CHROME } });
    expect(res.headers.get('Content-Type')).toBe('image/avif');
    expect(res.headers.get('Vary')).toBeNull();
  });

  it('"always" answers AVIF whenever Accept names it, and WebP or the input format otherwise', async () => {
    const tenant = await tenantWith({ avif: 'always', avifMaxMegapixels: 0.01 });
    expect(await chromeGets(tenant, 'w-600')).toEqual({ type: 'image/avif', vary: 'Accept', width: 600 });
    const webp = await get(`/${tenant}/tr:w-600/p.jpg`, { headers: { Accept: 'image/webp,*/*' } });
    expect(webp.headers.get('Content-Type')).toBe('image/webp');
    const plain = await get(`/${tenant}/tr:w-600/p.jpg`, { headers: { Accept: '*/*' } });
    expect(plain.headers.get('Content-Type')).toBe('image/jpeg');
    expect(plain.headers.get('Vary')).toBe('Accept');
  });

  it('a changed AVIF choice names another variant: the cached AVIF is not served to a tenant that turned it off', async () => {
    const tenant = await tenantWith({ avif: 'always', avifMaxMegapixels: 0.5 });
    const before = await get(`/${tenant}/tr:w-200/p.jpg`, { headers: { Accept: CHROME } });
    expect(before.headers.get('Content-Type')).toBe('image/avif');
    await before.arrayBuffer();
    const config = (await readTenantFresh(env, tenant))!;
    await saveTenant(env, { ...config, settings: { ...config.settings, formats: { avif: 'off', avifMaxMegapixels: 0.5 } } });
    forgetTenant(tenant);
    const after = await get(`/${tenant}/tr:w-200/p.jpg`, { headers: { Accept: CHROME } });
    expect(after.headers.get('Content-Type')).toBe('image/webp');
    expect(after.headers.get('ETag')).not.toBe(before.headers.get('ETag'));
    expect((await decodeResponse(after)).width).toBe(200);
  });
});

/** Waits until the tenant's R2 variant store holds `count` variants (they are written after the response). */
async function stored(tenant: string, count: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await env.MEDIA.list({ prefix: `variants/${tenant}/` })).objects.length >= count) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`fewer than ${count} variants stored`);
}

describe('an untransformed URL never answers more bytes than the original', () => {
  /** A JPEG at q20: re-encoded at the default q80 it comes out larger. */
  async function lowQualityJpeg(): Promise<Uint8Array> {
    const frame = await decodeImage(await fixtureBytes(fixtures.photo1000x800.path));
    return encoderFor('jpeg').encode(frame, { quality: 20, lossless: false, progressive: false });
  }

  it('answers the original bytes with the original ETag when the re-encode is larger, from a miss and a hit', async () => {
    const tenant = await newTenant();
    const original = await lowQualityJpeg();
    await putOriginal(tenant, 'small.jpg', original);
    const originalEtag = (await get(`/${tenant}/tr:orig-true/small.jpg`)).headers.get('ETag');
    expect(originalEtag).toMatch(/^".+"$/);
    // The re-encode really is larger: the same image with a transformation that changes nothing but the quality.
    const reencoded = await get(`/${tenant}/tr:q-79/small.jpg`, { headers: { Accept: '*/*' } });
    expect((await reencoded.arrayBuffer()).byteLength).toBeGreaterThan(original.byteLength);

    for (const cache of ['miss', 'hit-edge']) {
      const res = await get(`/${tenant}/small.jpg`, { headers: { Accept: '*/*' } });
      expect(res.status, cache).toBe(200);
      expect(res.headers.get('Content-Type'), cache).toBe('image/jpeg');
      expect(res.headers.get('ETag'), cache).toBe(originalEtag);
      expect(res.headers.get('Vary'), cache).toBe('Accept');
      expect(res.headers.get('Server-Timing'), cache).toContain(`cache;desc=${cache}`);
      expect(new Uint8Array(await res.arrayBuffer()), cache).toEqual(original);
      await stored(tenant, 2); // the variants (q-79 and this one) are stored after the response
    }
    const revalidated = await get(`/${tenant}/small.jpg`, { headers: { Accept: '*/*', 'If-None-Match': originalEtag! } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('ETag')).toBe(originalEtag);
  });

  it('answers the re-encode, under its own ETag, when it is smaller than the original', async () => {
    const tenant = await newTenant();
    const original = await fixtureBytes(fixtures.photo1000x800.path);
    const big = await encoderFor('jpeg').encode(await decodeImage(original), { quality: 98, lossless: false, progressive: false });
    await putOriginal(tenant, 'big.jpg', big);
    const originalEtag = (await get(`/${tenant}/tr:orig-true/big.jpg`)).headers.get('ETag');
    const res = await get(`/${tenant}/big.jpg`, { headers: { Accept: '*/*' } });
    const body = new Uint8Array(await res.arrayBuffer());
    expect(body.byteLength).toBeLessThan(big.byteLength);
    expect(res.headers.get('ETag')).not.toBe(originalEtag);
    expect(probe(body)).toMatchObject({ format: 'jpeg', width: 1000, height: 800 });
  });

  it('compares only with the same format: a transformation or another format is never swapped for the original', async () => {
    const tenant = await newTenant();
    const original = await lowQualityJpeg();
    await putOriginal(tenant, 'small.jpg', original);
    const resized = await get(`/${tenant}/tr:w-1000/small.jpg`, { headers: { Accept: '*/*' } });
    expect(new Uint8Array(await resized.arrayBuffer())).not.toEqual(original);
    const webp = await get(`/${tenant}/small.jpg`, { headers: { Accept: 'image/webp' } });
    expect(webp.headers.get('Content-Type')).toBe('image/webp');
  });
});
