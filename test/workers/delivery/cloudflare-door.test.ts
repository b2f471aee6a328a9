/**
 * Cloudflare's door, `/cdn-cgi/image/<options>/<tenant>/<path>` (and `/cdn-cgi/image/<options>/<path>` on a tenant's
 * own hostname): each option's outcome (sizes, formats, pixels), one cache entry with the equivalent ImageKit URL,
 * format=json, onerror=redirect, 400s naming the option, and the tenant's rules applied as on the ImageKit door.
 */
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { edgeCacheUrl } from '../../../src/cache/keys';
import { probe } from '../../../src/codecs/probe';
import type { Frame } from '../../../src/image/frame';
import { signUrl } from '../../../src/security/signature';
import { defaultSettings } from '../../../src/tenants/config';
import { fixtures } from '../../fixtures/registry';
import { ADMIN } from '../admin-helpers';
import { addKey } from '../api-helpers';
import { decodeImage, decodeResponse, fixtureBytes, get, json, newTenant, ORIGIN, putOriginal, type TenantOverrides } from '../helpers';
import { unique } from '../origin-servers';

const cacheStatus = (res: Response) => /cache;desc=([a-z-]+)/.exec(res.headers.get('Server-Timing') ?? '')?.[1];

async function tenantWith(path: string, fixture: string, overrides: TenantOverrides = {}, contentType = 'image/jpeg'): Promise<string> {
  const tenant = await newTenant(overrides);
  await putOriginal(tenant, path, await fixtureBytes(fixture), contentType);
  return tenant;
}

const photoTenant = (overrides: TenantOverrides = {}) => tenantWith('p.jpg', fixtures.photo1000x800.path, overrides);

async function ok(path: string, init: RequestInit = {}): Promise<Response> {
  const res = await get(path, init);
  if (res.status !== 200) expect.fail(`${res.status} ${await res.text()} for ${path}`);
  return res;
}

async function sizeOf(path: string): Promise<{ width: number; height: number }> {
  const { width, height } = await decodeResponse(await ok(path));
  return { width, height };
}

/** The edge copy is written after the response; a test that expects a hit waits for it. */
async function edgeCopyOf(tenant: string, res: Response): Promise<void> {
  const key = res.headers.get('ETag')!.replaceAll('"', '');
  for (let i = 0; i < 50; i++) {
    if (await caches.default.match(edgeCacheUrl(tenant, key))) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  expect.fail('the variant never reached the edge cache');
}

const pixel = (f: Frame, x: number, y: number) => Array.from(f.data.subarray((y * f.width + x) * 4, (y * f.width + x) * 4 + 4));

function meanDifference(a: Frame, b: Frame, map: (x: number, y: number) => [number, number] = (x, y) => [x, y]): number {
  let sum = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const [bx, by] = map(x, y);
      for (let c = 0; c < 3; c++) sum += Math.abs(a.data[(y * a.width + x) * 4 + c]! - b.data[(by * b.width + bx) * 4 + c]!);
    }
  }
  return sum / (a.width * a.height * 3);
}

/** Mean absolute difference between horizontal neighbours: falls with blur, rises with sharpening. */
function detail(f: Frame): number {
  let sum = 0;
  for (let y = 0; y < f.height; y++) {
    for (let x = 1; x < f.width; x++) sum += Math.abs(f.data[(y * f.width + x) * 4]! - f.data[(y * f.width + x - 1) * 4]!);
  }
  return sum / (f.height * (f.width - 1));
}

describe('Cloudflare door: sizes by fit', () => {
  it.each([
    ['width=2000', 1000, 800],
    ['width=500', 500, 400],
    ['width=500,height=500', 500, 400],
    ['width=2000,height=2000,fit=contain', 2000, 1600],
    ['width=300,height=300,fit=cover', 300, 300],
    ['width=2000,height=300,fit=crop', 1000, 300],
    ['width=400,height=200,fit=crop', 400, 200],
    ['width=400,height=400,fit=pad', 400, 400],
    ['width=300,height=100,fit=squeeze', 300, 100],
    ['width=100,dpr=2', 200, 160],
    ['width=200,height=100,fit=squeeze,rotate=90', 200, 100],
    ['trim=10;20;30;40', 940, 760],
    ['trim.width=300,trim.height=200,trim.left=10', 300, 200],
    ['border.width=10,border.color=red,width=100', 120, 100],
  ])('%s → %d×%d', async (options, width, height) => {
    const tenant = await photoTenant();
    expect(await sizeOf(`/cdn-cgi/image/${options}/${tenant}/p.jpg`)).toEqual({ width, height });
  });

  it('pads with white by default and with background otherwise', async () => {
    const tenant = await photoTenant();
    const white = await decodeResponse(await ok(`/cdn-cgi/image/width=400,height=400,fit=pad,format=png/${tenant}/p.jpg`));
    expect(pixel(white, 200, 5)).toEqual([255, 255, 255, 255]);
    const red = await decodeResponse(await ok(`/cdn-cgi/image/width=400,height=400,fit=pad,background=%23ff0000,format=png/${tenant}/p.jpg`));
    expect(pixel(red, 200, 5)).toEqual([255, 0, 0, 255]);
    // The image itself fills the middle rows.
    expect(meanDifference(white, red, (x, y) => [x, y])).toBeGreaterThan(10);
  });
});

describe('Cloudflare door: formats, quality, metadata', () => {
  it('keeps the source format without format=, negotiates with format=auto', async () => {
    const tenant = await photoTenant();
    const kept = await ok(`/cdn-cgi/image/width=100/${tenant}/p.jpg`, { headers: { Accept: 'image/avif,image/webp,*/*' } });
    expect(kept.headers.get('Content-Type')).toBe('image/jpeg');
    expect(kept.headers.get('Vary')).toBeNull();
    const auto = await ok(`/cdn-cgi/image/width=100,format=auto/${tenant}/p.jpg`, { headers: { Accept: 'image/webp,*/*' } });
    expect(auto.headers.get('Content-Type')).toBe('image/webp');
    expect(auto.headers.get('Vary')).toBe('Accept');
  });

  it.each([
    ['format=webp', 'webp'],
    ['f=avif', 'avif'],
    ['format=png', 'png'],
  ])('%s', async (options, format) => {
    const tenant = await photoTenant();
    const frame = await decodeResponse(await ok(`/cdn-cgi/image/width=64,${options}/${tenant}/p.jpg`));
    expect(frame.format).toBe(format);
    expect(frame.width).toBe(64);
  });

  it('writes format=jpeg progressive and format=baseline-jpeg baseline', async () => {
    const tenant = await tenantWith('p.png', fixtures.pngAlphaGradient.path, {}, 'image/png');
    const progressive = probe(new Uint8Array(await (await ok(`/cdn-cgi/image/format=jpeg/${tenant}/p.png`)).arrayBuffer()));
    const baseline = probe(new Uint8Array(await (await ok(`/cdn-cgi/image/format=baseline-jpeg/${tenant}/p.png`)).arrayBuffer()));
    expect([progressive.format, progressive.progressive]).toEqual(['jpeg', true]);
    expect([baseline.format, baseline.progressive]).toEqual(['jpeg', false]);
  });

  it('quality lowers the bytes; a perceptual level is a quality', async () => {
    const tenant = await photoTenant();
    const bytes = async (options: string) => (await (await ok(`/cdn-cgi/image/width=400,${options}/${tenant}/p.jpg`)).arrayBuffer()).byteLength;
    const [low, high] = [await bytes('quality=20'), await bytes('quality=95')];
    expect(low).toBeLessThan(high * 0.6);
    expect(await bytes('q=low')).toBeLessThan(await bytes('q=high'));
  });

  it('metadata=keep carries the EXIF of a JPEG; the default drops it', async () => {
    const tenant = await tenantWith('e.jpg', fixtures.landscape1.path);
    const hasExif = async (options: string) => {
      const body = new Uint8Array(await (await ok(`/cdn-cgi/image/width=100,${options}/${tenant}/e.jpg`)).arrayBuffer());
      return new TextDecoder('latin1').decode(body.subarray(0, 4096)).includes('Exif\0\0');
    };
    expect(await hasExif('metadata=keep')).toBe(true);
    expect(await hasExif('metadata=copyright')).toBe(false);
    expect(await hasExif('anim=false')).toBe(false);
  });
});

describe('Cloudflare door: pixels', () => {
  it('flip=h mirrors; flip before rotate=90 is rotate then a vertical flip', async () => {
    const tenant = await photoTenant();
    const plain = await decodeResponse(await ok(`/cdn-cgi/image/width=100,format=png/${tenant}/p.jpg`));
    const flipped = await decodeResponse(await ok(`/cdn-cgi/image/width=100,flip=h,format=png/${tenant}/p.jpg`));
    expect(meanDifference(flipped, plain, (x, y) => [plain.width - 1 - x, y])).toBeLessThan(1);
    expect(meanDifference(flipped, plain)).toBeGreaterThan(5);
    // Flipping h then turning 90° clockwise: output (x, y) comes from the flipped image's (y, H-1-x), i.e. plain's (W-1-y, H-1-x).
    const turned = await decodeResponse(await ok(`/cdn-cgi/image/height=100,flip=h,rotate=90,format=png/${tenant}/p.jpg`));
    expect([turned.width, turned.height]).toEqual([80, 100]);
    expect(meanDifference(turned, plain, (x, y) => [plain.width - 1 - y, plain.height - 1 - x])).toBeLessThan(1);
  });

  it('blur softens and sharpen crisps', async () => {
    const tenant = await photoTenant();
    const at = async (options: string) => detail(await decodeResponse(await ok(`/cdn-cgi/image/width=200,${options},format=png/${tenant}/p.jpg`)));
    const plain = await at('anim=true');
    expect(await at('blur=10')).toBeLessThan(plain * 0.6);
    expect(await at('sharpen=5')).toBeGreaterThan(plain * 1.1);
  });

  it('background flattens transparency', async () => {
    const tenant = await tenantWith('a.png', fixtures.pngAlphaGradient.path, {}, 'image/png');
    const frame = await decodeResponse(await ok(`/cdn-cgi/image/background=blue,format=png/${tenant}/a.png`));
    // The ramp starts fully transparent at the left edge: there only the background shows.
    expect(pixel(frame, 0, 10)).toEqual([0, 0, 255, 255]);
  });

  it('border draws the colour around the image', async () => {
    const tenant = await photoTenant();
    const frame = await decodeResponse(await ok(`/cdn-cgi/image/width=100,border.width=6,border.color=%2300ff00,format=png/${tenant}/p.jpg`));
    expect(pixel(frame, 2, 2)).toEqual([0, 255, 0, 255]);
    expect(pixel(frame, frame.width - 3, frame.height - 3)).toEqual([0, 255, 0, 255]);
  });

  it('gravity keeps the named side, and a point at 0x0.5 keeps the same as left', async () => {
    const tenant = await photoTenant();
    const crop = async (gravity: string) => decodeResponse(await ok(`/cdn-cgi/image/width=100,height=100,fit=cover,gravity=${gravity},format=png/${tenant}/p.jpg`));
    const [left, right, point] = [await crop('left'), await crop('right'), await crop('0x0.5')];
    expect(meanDifference(left, right)).toBeGreaterThan(5);
    expect(meanDifference(point, left)).toBeLessThan(3);
    const full = await decodeResponse(await ok(`/cdn-cgi/image/height=100,format=png/${tenant}/p.jpg`));
    // The left crop is the left 100 columns of the image scaled to 100 px high.
    expect(meanDifference(left, full)).toBeLessThan(3);
    expect(meanDifference(right, full, (x, y) => [full.width - 100 + x, y])).toBeLessThan(3);
  });

  it('trim cuts the given pixels from each side', async () => {
    const tenant = await photoTenant();
    const full = await decodeResponse(await ok(`/cdn-cgi/image/format=png/${tenant}/p.jpg`));
    const trimmed = await decodeResponse(await ok(`/cdn-cgi/image/trim=10;20;30;40,format=png/${tenant}/p.jpg`));
    expect(meanDifference(trimmed, full, (x, y) => [x + 40, y + 10])).toBeLessThan(0.5);
  });
});

describe('Cloudflare door: one cache entry with the ImageKit URL', () => {
  it.each([
    ['width=300,height=200,fit=cover,format=webp', 'tr:w-300,h-200,f-webp'],
    ['w=300,format=baseline-jpeg,quality=70', 'tr:w-300,c-at_max,f-jpg,q-70'],
    ['width=200,height=200,fit=pad,format=png', 'tr:h-200,w-200,cm-pad_resize,bg-FFFFFF,f-png'],
  ])('%s, then %s, is a cache hit', async (options, imagekit) => {
    const tenant = await photoTenant();
    const first = await ok(`/cdn-cgi/image/${options}/${tenant}/p.jpg`);
    expect(cacheStatus(first)).toBe('miss');
    const bytes = new Uint8Array(await first.arrayBuffer());
    await edgeCopyOf(tenant, first);
    const second = await ok(`/${tenant}/${imagekit}/p.jpg`);
    expect(cacheStatus(second)).toBe('hit-edge');
    expect(second.headers.get('ETag')).toBe(first.headers.get('ETag'));
    expect(new Uint8Array(await second.arrayBuffer())).toEqual(bytes);
  });

  it('the other way round too', async () => {
    const tenant = await photoTenant();
    const first = await ok(`/${tenant}/tr:w-250,h-250,c-at_max_enlarge,f-webp/p.jpg`);
    await edgeCopyOf(tenant, first);
    const second = await ok(`/cdn-cgi/image/fit=contain,height=250,width=250,f=webp/${tenant}/p.jpg`);
    expect(cacheStatus(second)).toBe('hit-edge');
    expect(second.headers.get('ETag')).toBe(first.headers.get('ETag'));
  });
});

describe('Cloudflare door: format=json and ?ik-info=true', () => {
  it('answers the output size and format and the original\'s', async () => {
    const tenant = await photoTenant();
    const res = await ok(`/cdn-cgi/image/width=300,format=json/${tenant}/p.jpg`);
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
    const size = (await fixtureBytes(fixtures.photo1000x800.path)).byteLength;
    expect(await res.json()).toEqual({
      width: 300,
      height: 240,
      format: 'image/jpeg',
      original: { width: 1000, height: 800, format: 'image/jpeg', fileSize: size },
    });
  });

  it('answers on the ImageKit door with ?ik-info=true, for the format Accept chooses', async () => {
    const tenant = await photoTenant();
    const res = await ok(`/${tenant}/tr:w-200,h-100/p.jpg?ik-info=true`, { headers: { Accept: 'image/webp' } });
    expect(res.headers.get('Vary')).toBe('Accept');
    expect(await res.json()).toMatchObject({ width: 200, height: 100, format: 'image/webp', original: { width: 1000, height: 800 } });
    // The image itself is unaffected: same URL without the flag is an image.
    expect((await ok(`/${tenant}/tr:w-200,h-100/p.jpg`)).headers.get('Content-Type')).toBe('image/jpeg');
  });

  it('reports the upright size of an EXIF-rotated original', async () => {
    const tenant = await tenantWith('r.jpg', fixtures.landscape6.path);
    const body = (await (await ok(`/cdn-cgi/image/format=json/${tenant}/r.jpg`)).json()) as { width: number; height: number };
    expect(body.width).toBe(fixtures.landscape6.height);
    expect(body.height).toBe(fixtures.landscape6.width);
  });
});

describe('Cloudflare door: errors and onerror=redirect', () => {
  it('400 JSON naming an unknown or invalid option', async () => {
    const tenant = await photoTenant();
    for (const [options, named] of [['wdth=3', 'wdth'], ['width=-1', 'width'], ['fit=stretch', 'fit'], ['brightness=2', 'brightness']]) {
      const res = await get(`/cdn-cgi/image/${options}/${tenant}/p.jpg`);
      expect(res.status).toBe(400);
      expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
      expect((await json(res)).message).toContain(`"${named}"`);
    }
    expect((await get(`/cdn-cgi/image/width=10/${tenant}/tr:w-20/p.jpg`)).status).toBe(400);
    expect((await get(`/cdn-cgi/image/width=10`)).status).toBe(400);
    expect((await get(`/cdn-cgi/image/width=10/no-such-tenant-xyz/p.jpg`)).status).toBe(404);
  });

  it('redirects a failed transformation to the untransformed source, and only with onerror=redirect', async () => {
    const tenant = await tenantWith('bad.jpg', fixtures.jpegTruncated.path);
    const failed = await get(`/cdn-cgi/image/width=100/${tenant}/bad.jpg`);
    expect(failed.status).toBe(422);
    const redirected = await get(`/cdn-cgi/image/width=100,onerror=redirect/${tenant}/bad.jpg?ik-obj-version=`, { redirect: 'manual' });
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get('Location')).toBe(`${ORIGIN}/${tenant}/bad.jpg?ik-obj-version=`);
    // A missing file is not a failed transformation.
    expect((await get(`/cdn-cgi/image/width=100,onerror=redirect/${tenant}/missing.jpg`, { redirect: 'manual' })).status).toBe(404);
  });

  it('redirects a transformation over the tenant\'s limits', async () => {
    const tenant = await photoTenant({ limits: { maxOutputDimension: 500 } });
    const res = await get(`/cdn-cgi/image/width=900,fit=contain,onerror=redirect/${tenant}/p.jpg`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe(`${ORIGIN}/${tenant}/p.jpg`);
  });
});

describe('Cloudflare door: the tenant\'s rules', () => {
  it('access rules refuse as on the ImageKit door', async () => {
    const tenant = await photoTenant({ access: { ...defaultSettings().access, ipBlock: ['203.0.113.0/24'] } });
    const res = await get(`/cdn-cgi/image/width=10/${tenant}/p.jpg`, { headers: { 'CF-Connecting-IP': '203.0.113.9' } });
    expect(res.status).toBe(403);
  });

  it('rate limits count both doors', async () => {
    const tenant = await photoTenant({ rateLimit: { deliveryPerIpPerMinute: 2, apiPerKeyPerMinute: null } });
    const headers = { 'CF-Connecting-IP': '198.51.100.77' };
    expect((await get(`/${tenant}/tr:w-10/p.jpg`, { headers })).status).toBe(200);
    expect((await get(`/cdn-cgi/image/width=10/${tenant}/p.jpg`, { headers })).status).toBe(200);
    expect((await get(`/cdn-cgi/image/width=11/${tenant}/p.jpg`, { headers })).status).toBe(429);
  });

  it('private files and restrictUnsignedUrls need a signature over the whole URL, options included', async () => {
    const tenant = await newTenant({ restrictUnsignedUrls: true });
    await putOriginal(tenant, 'secret.jpg', await fixtureBytes(fixtures.photo1000x800.path), 'image/jpeg', { isPrivate: true });
    const { privateKey } = await addKey(tenant);
    const url = `${ORIGIN}/cdn-cgi/image/width=50/${tenant}/secret.jpg`;
    expect((await SELF.fetch(url)).status).toBe(401);
    const signed = await signUrl(url, ORIGIN, privateKey);
    const res = await SELF.fetch(signed);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toMatch(/^private/);
    expect((await decodeResponse(res)).width).toBe(50);
    // The signature covers the options: changing them breaks it.
    expect((await SELF.fetch(signed.replace('width=50', 'width=60'))).status).toBe(401);
  });

  it('serves on the tenant\'s own hostname without the tenant segment', async () => {
    const tenant = await photoTenant();
    const host = `${unique('cf')}.acme.test`;
    const attached = await SELF.fetch(`${ORIGIN}/admin/v1/tenants/${tenant}/domains`, {
      method: 'POST',
      headers: { ...ADMIN, 'Content-Type': 'application/json' },
      body: JSON.stringify({ hostname: host }),
    });
    expect(attached.status).toBe(201);
    const res = await SELF.fetch(`http://${host}/cdn-cgi/image/width=120,format=webp/p.jpg`);
    expect(res.status).toBe(200);
    const frame = await decodeImage(new Uint8Array(await res.arrayBuffer()));
    expect([frame.format, frame.width, frame.height]).toEqual(['webp', 120, 96]);
    const info = await SELF.fetch(`http://${host}/cdn-cgi/image/width=120,format=json/p.jpg`);
    expect(await info.json()).toMatchObject({ width: 120, height: 96 });
    const redirect = await SELF.fetch(`http://${host}/cdn-cgi/image/width=120,onerror=redirect/missing.jpg`, { redirect: 'manual' });
    expect(redirect.status).toBe(404);
    // No tenant can be named cdn-cgi on the shared host.
    expect((await get(`/cdn-cgi/p.jpg`)).status).toBe(404);
  });
});
