/**
 * Layers through the Worker: URLs built by @imagekit/nodejs (test/sdk/layer-urls.ts) render with the layer where
 * ImageKit puts it; layer files follow the original's origin and privacy rules; replacing a layer file changes what
 * the same URL delivers; limits are checked before any decode; what layers do not take is a clear 400.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Frame } from '../../../src/image/frame';
import { type Colour, rgb, solidPng } from '../pixel-helpers';
import { signUrl } from '../../../src/security/signature';
import { LAYER_PRIVATE_KEY, LAYER_TENANT, type LayerUrl } from '../../sdk/layer-urls';
import { newTenantWithKey } from '../api-helpers';
import { decodeResponse, get, json, newTenant, ORIGIN, putOriginal } from '../helpers';
import { SELF } from 'cloudflare:test';

const urls = inject('layerUrls');
const urlOf = (name: LayerUrl['name']) => urls.find((u) => u.name === name)!.url;

const GREY: Colour = [128, 128, 128];
const RED: Colour = [255, 0, 0];
const BLUE: Colour = [0, 0, 255];
const GREEN: Colour = [0, 255, 0];
const WHITE: Colour = [255, 255, 255];


async function served(url: string): Promise<Frame> {
  const res = await SELF.fetch(url);
  if (res.status !== 200) expect.fail(`${res.status} ${await res.text()} for ${url}`);
  return decodeResponse(res);
}

async function expectError(url: string, status: number, fragment: string) {
  const res = await SELF.fetch(url);
  expect(res.status).toBe(status);
  expect(res.headers.get('Content-Type')).toContain('application/json');
  const body = await json(res);
  expect(body.message).toContain(fragment);
  expect(body.help).toBeTruthy();
}

beforeAll(async () => {
  await newTenantWithKey(undefined, {}, { tenantId: LAYER_TENANT, privateKey: LAYER_PRIVATE_KEY });
  await putOriginal(LAYER_TENANT, 'base.png', await solidPng(64, 48, GREY), 'image/png');
  await putOriginal(LAYER_TENANT, 'brand/logo.png', await solidPng(16, 16, RED), 'image/png');
  await putOriginal(LAYER_TENANT, 'private/mark.png', await solidPng(8, 8, BLUE), 'image/png', { isPrivate: true });
});

describe('URLs built by @imagekit/nodejs', () => {
  it.each(['image-path', 'image-query'] as const)('%s: an image layer at lx-4, ly-N4', async (name) => {
    const out = await served(urlOf(name));
    expect([out.width, out.height]).toEqual([64, 48]);
    // 16×16 at x 4…19, y 48-16-4 = 28…43.
    expect(rgb(out, 4, 28)).toEqual(RED);
    expect(rgb(out, 19, 43)).toEqual(RED);
    expect(rgb(out, 3, 28)).toEqual(GREY);
    expect(rgb(out, 20, 43)).toEqual(GREY);
    expect(rgb(out, 4, 44)).toEqual(GREY);
  });

  it('a solid colour block at top_right with rounded corners', async () => {
    const out = await served(urlOf('solid'));
    expect(rgb(out, 54, 5)).toEqual(GREEN);
    expect(rgb(out, 44, 5)).toEqual(GREEN);
    expect(rgb(out, 43, 5)).toEqual(GREY);
    // The block's rounded top-right corner leaves the base showing.
    expect(rgb(out, 63, 0)).toEqual(GREY);
    expect(rgb(out, 54, 10)).toEqual(GREY);
  });

  it('a layer nested in a block, placed in the block', async () => {
    const out = await served(urlOf('nested'));
    expect(rgb(out, 10, 10)).toEqual(WHITE);
    // The 8×8 logo at the block's bottom-right: x 32…39, y 22…29.
    expect(rgb(out, 39, 29)).toEqual(RED);
    expect(rgb(out, 32, 22)).toEqual(RED);
    expect(rgb(out, 31, 22)).toEqual(WHITE);
    expect(rgb(out, 40, 29)).toEqual(GREY);
  });
});

describe('layer files', () => {
  it('a private layer needs a signed URL, like any private file', async () => {
    const signed = urlOf('private-signed');
    const out = await served(signed);
    expect(rgb(out, 32, 24)).toEqual(BLUE);
    const unsigned = signed.replace(/&ik-s=[0-9a-f]+$/, '');
    await expectError(unsigned, 401, 'layer image "private/mark.png" is private');
  });

  it('replacing the layer file changes what the same URL delivers', async () => {
    const tenant = await newTenant();
    await putOriginal(tenant, 'base.png', await solidPng(32, 32, GREY), 'image/png');
    await putOriginal(tenant, 'mark.png', await solidPng(8, 8, RED), 'image/png');
    const url = `${ORIGIN}/${tenant}/tr:l-image,i-mark.png,l-end,f-png/base.png`;
    const first = await SELF.fetch(url);
    const etag = first.headers.get('ETag');
    expect(rgb(await decodeResponse(first), 16, 16)).toEqual(RED);
    await putOriginal(tenant, 'mark.png', await solidPng(8, 8, BLUE), 'image/png');
    const second = await SELF.fetch(url);
    expect(second.headers.get('ETag')).not.toBe(etag);
    expect(rgb(await decodeResponse(second), 16, 16)).toEqual(BLUE);
    // A revalidation with the old ETag gets the new variant, not a 304.
    expect((await SELF.fetch(url, { headers: { 'If-None-Match': etag! } })).status).toBe(200);
  });

  it('a missing layer file is a 404 naming it', async () => {
    await expectError(`${ORIGIN}/${LAYER_TENANT}/tr:l-image,i-nowhere.png,l-end/base.png`, 404, '"nowhere.png"');
  });

  it('an unreadable layer file is a 422 naming it', async () => {
    const tenant = await newTenant();
    await putOriginal(tenant, 'base.png', await solidPng(8, 8, GREY), 'image/png');
    await putOriginal(tenant, 'junk.png', new TextEncoder().encode('not an image'), 'image/png');
    await expectError(`${ORIGIN}/${tenant}/tr:l-image,i-junk.png,l-end/base.png`, 422, '"junk.png"');
  });
});

describe('limits, before any decode', () => {
  it('refuses layer images beyond maxInputMegapixels together', async () => {
    const tenant = await newTenant({ limits: { maxInputMegapixels: 0.002 } });
    await putOriginal(tenant, 'base.png', await solidPng(20, 20, GREY), 'image/png');
    await putOriginal(tenant, 'a.png', await solidPng(30, 30, RED), 'image/png');
    await putOriginal(tenant, 'b.png', await solidPng(40, 30, RED), 'image/png');
    expect((await get(`/${tenant}/tr:l-image,i-a.png,l-end,f-png/base.png`)).status).toBe(200);
    await expectError(`${ORIGIN}/${tenant}/tr:l-image,i-a.png,l-end:l-image,i-b.png,l-end/base.png`, 422, 'maxInputMegapixels');
  });

  it('refuses layers drawn with more pixels than maxOutputMegapixels', async () => {
    const tenant = await newTenant({ limits: { maxOutputMegapixels: 0.01 } });
    await putOriginal(tenant, 'base.png', await solidPng(20, 20, GREY), 'image/png');
    await expectError(`${ORIGIN}/${tenant}/tr:l-image,i-ik_canvas,bg-red,w-200,h-200,l-end/base.png`, 422, 'maxOutputMegapixels');
  });

  it.each([
    ['l-video,i-clip.mp4,l-end', 'Video layers'],
    ['l-text,l-end', 'needs its text'],
    ['l-image,i-brand@@logo.png,lso-2,l-end', 'lso is for video only'],
    ['l-image,i-brand@@logo.png', 'has no l-end'],
    ['l-image,i-a.png,'.repeat(4) + 'l-end,'.repeat(4), 'levels'],
  ])('%s is a 400 JSON error', async (tr, fragment) => {
    await expectError(`${ORIGIN}/${LAYER_TENANT}/tr:${tr}/base.png`, 400, fragment);
  });
});

describe('opacity', () => {
  it('o on the image makes PNG output translucent', async () => {
    const res = await get(`/${LAYER_TENANT}/tr:o-50,f-png/base.png`);
    const out = await decodeResponse(res);
    expect(out.data[3]).toBe(128);
    expect(await signUrl(`${ORIGIN}/${LAYER_TENANT}/a.png`, `${ORIGIN}/${LAYER_TENANT}`, LAYER_PRIVATE_KEY)).toContain('ik-s=');
  });
});
