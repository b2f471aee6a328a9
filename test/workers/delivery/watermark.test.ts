/**
 * The enforced watermark (`watermark` in /v1/accounts/settings): every way a URL might reach the original's pixels
 * is tried, and each answer is checked for the watermark's pixels. Also: signed URLs exempt only when asked,
 * path prefixes, named transformations holding layers, cache identity when the setting or the watermark file
 * changes, and validation and audit of the setting.
 */
import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { encoderFor } from '../../../src/codecs/registry';
import { type Colour, rgb, solidPng } from '../pixel-helpers';
import { signUrl } from '../../../src/security/signature';
import { callApi, newTenantWithKey, type TenantWithKey } from '../api-helpers';
import { decodeResponse, json, ORIGIN, putOriginal } from '../helpers';

const GREY: Colour = [128, 128, 128];
const RED: Colour = [255, 0, 0];
const BLUE: Colour = [0, 0, 255];


/** Within a little of the colour (lossy outputs). */
function near(actual: Colour, expected: Colour, tolerance = 24): boolean {
  return actual.every((v, i) => Math.abs(v - expected[i]!) <= tolerance);
}

/** The bottom-right 8×8 of the output holds the watermark's colour (the layer is 8×8 at lfo-bottom_right). */
async function marked(url: string, colour: Colour = RED): Promise<boolean> {
  const res = await SELF.fetch(url);
  if (res.status !== 200) expect.fail(`${res.status} ${await res.text()} for ${url}`);
  const out = await decodeResponse(res);
  return near(rgb(out, out.width - 4, out.height - 4), colour);
}

async function patchWatermark(t: TenantWithKey, watermark: unknown): Promise<Response> {
  return callApi(t.auth, 'PATCH', '/v1/accounts/settings', { watermark });
}

let t: TenantWithKey;
const url = (rest: string) => `${ORIGIN}/${t.tenantId}/${rest}`;
const MARK = 'l-image,i-marks@@wm.png,lfo-bottom_right,l-end';

beforeAll(async () => {
  t = await newTenantWithKey();
  await putOriginal(t.tenantId, 'photo.png', await solidPng(64, 48, GREY), 'image/png');
  await putOriginal(t.tenantId, 'photo.jpg', await encoderFor('jpeg').encode(await decodeResponse(new Response(await solidPng(64, 48, GREY))), { quality: 90, lossless: false, progressive: false }), 'image/jpeg');
  await putOriginal(t.tenantId, 'marked/inside.png', await solidPng(32, 32, GREY), 'image/png');
  // The watermark file is private: the tenant's own watermark needs no signature.
  await putOriginal(t.tenantId, 'marks/wm.png', await solidPng(8, 8, RED), 'image/png', { isPrivate: true });
  const named = await callApi(t.auth, 'POST', '/v1/named-transformations', { name: 'thumb', transformation: 'w-32' });
  expect(named.status).toBe(201);
  // Cached before the watermark exists: must never be served once it does.
  expect(await marked(url('photo.png'))).toBe(false);
  expect(await marked(url('tr:w-40/photo.png'))).toBe(false);
  expect((await patchWatermark(t, { transformation: MARK })).status).toBe(200);
});

describe('no URL gets the original\'s pixels without the watermark', () => {
  it.each([
    ['the untransformed URL', 'photo.png'],
    ['a JPEG original, untransformed', 'photo.jpg'],
    ['orig-true in the path', 'tr:orig-true/photo.png'],
    ['orig-true in the query', 'photo.png?tr=orig-true'],
    ['orig-true with f-png', 'tr:orig-true,f-png/photo.png'],
    ['a resize cached before the watermark', 'tr:w-40/photo.png'],
    ['a path and query transformation chained', 'tr:w-50/photo.png?tr=h-30'],
    ['chained steps in the path', 'tr:w-60:rt-90:fl-h/photo.png'],
    ['an unnamed transformation with its own layer', 'tr:l-image,i-ik_canvas,bg-00FF00,l-end/photo.png'],
    ['a named transformation', 'tr:n-thumb/photo.png'],
    ['opacity 0 before the watermark', 'tr:o-0,f-png/photo.png'],
    ['an older version pinned', 'photo.png?ik-obj-version=nonexistent'],
    ['a default image', 'tr:di-photo.png/missing.png'],
  ])('%s', async (_name, rest) => {
    if (rest.includes('ik-obj-version')) {
      // No such version: a 404, never the original.
      expect((await SELF.fetch(url(rest))).status).toBe(404);
      return;
    }
    expect(await marked(url(rest))).toBe(true);
  });

  it.each([
    ['width=40', 'photo.png'],
    ['width=40,format=png', 'photo.png'],
    ['fit=contain,width=30,height=30', 'photo.jpg'],
  ])('Cloudflare\'s door: /cdn-cgi/image/%s/', async (options, file) => {
    expect(await marked(`${ORIGIN}/cdn-cgi/image/${options}/${t.tenantId}/${file}`)).toBe(true);
  });

  it('image info and format=json answer JSON, never pixels', async () => {
    for (const info of [url('photo.png?ik-info=true'), `${ORIGIN}/cdn-cgi/image/format=json/${t.tenantId}/photo.png`]) {
      const res = await SELF.fetch(info);
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toContain('application/json');
      expect(((await res.json()) as { width: number }).width).toBe(64);
    }
  });

  it('a signed URL is watermarked unless exemptSigned', async () => {
    const endpoint = `${ORIGIN}/${t.tenantId}`;
    const signed = await signUrl(`${endpoint}/tr:orig-true/photo.png`, endpoint, t.privateKey);
    expect(await marked(signed)).toBe(true);
  });
});

describe('what the setting chooses', () => {
  it('exemptSigned leaves signed URLs unmarked, and unsigned ones marked', async () => {
    const u = await newTenantWithKey();
    await putOriginal(u.tenantId, 'p.png', await solidPng(32, 32, GREY), 'image/png');
    await putOriginal(u.tenantId, 'wm.png', await solidPng(8, 8, RED), 'image/png');
    expect((await patchWatermark(u, { transformation: 'l-image,i-wm.png,lfo-bottom_right,l-end', exemptSigned: true })).status).toBe(200);
    const endpoint = `${ORIGIN}/${u.tenantId}`;
    expect(await marked(await signUrl(`${endpoint}/tr:f-png/p.png`, endpoint, u.privateKey))).toBe(false);
    expect(await marked(`${endpoint}/tr:f-png/p.png`)).toBe(true);
    // A tampered signature is a 401, not an unmarked image.
    expect((await SELF.fetch(`${endpoint}/tr:f-png/p.png?ik-s=${'0'.repeat(40)}`)).status).toBe(401);
  });

  it('pathPrefixes mark only files under them', async () => {
    const u = await newTenantWithKey();
    await putOriginal(u.tenantId, 'shop/p.png', await solidPng(32, 32, GREY), 'image/png');
    await putOriginal(u.tenantId, 'blog/p.png', await solidPng(32, 32, GREY), 'image/png');
    await putOriginal(u.tenantId, 'wm.png', await solidPng(8, 8, RED), 'image/png');
    const res = await patchWatermark(u, { transformation: 'l-image,i-wm.png,lfo-bottom_right,l-end', pathPrefixes: ['/shop/'] });
    expect(await res.json()).toMatchObject({ watermark: { exemptSigned: false, pathPrefixes: ['/shop/'] } });
    expect(await marked(`${ORIGIN}/${u.tenantId}/shop/p.png`)).toBe(true);
    expect(await marked(`${ORIGIN}/${u.tenantId}/blog/p.png`)).toBe(false);
  });

  it('a named transformation holding a layer is the watermark; changing and removing it changes the same URL', async () => {
    const u = await newTenantWithKey();
    await putOriginal(u.tenantId, 'p.png', await solidPng(32, 32, GREY), 'image/png');
    await putOriginal(u.tenantId, 'wm.png', await solidPng(8, 8, RED), 'image/png');
    const named = await callApi(u.auth, 'POST', '/v1/named-transformations', { name: 'wm', transformation: 'l-image,i-wm.png,lfo-bottom_right,l-end' });
    expect(named.status).toBe(201);
    const p = `${ORIGIN}/${u.tenantId}/p.png`;
    expect((await patchWatermark(u, { transformation: 'n-wm' })).status).toBe(200);
    const first = await SELF.fetch(p);
    const etag = first.headers.get('ETag');
    expect(near(rgb(await decodeResponse(first), 28, 28), RED)).toBe(true);
    // Moved to the top left by the setting: the bottom right shows the photo again.
    expect((await patchWatermark(u, { transformation: 'l-image,i-wm.png,lfo-top_left,l-end' })).status).toBe(200);
    const moved = await decodeResponse(await SELF.fetch(p));
    expect(near(rgb(moved, 2, 2), RED)).toBe(true);
    expect(near(rgb(moved, 28, 28), GREY)).toBe(true);
    // The watermark file replaced: the same URL shows the new file.
    await putOriginal(u.tenantId, 'wm.png', await solidPng(8, 8, BLUE), 'image/png');
    const replaced = await SELF.fetch(p);
    expect(replaced.headers.get('ETag')).not.toBe(etag);
    expect(near(rgb(await decodeResponse(replaced), 2, 2), BLUE)).toBe(true);
    expect((await patchWatermark(u, null)).status).toBe(200);
    expect(await marked(p)).toBe(false);
  });
});

describe('the setting', () => {
  it.each([
    [{ transformation: 'l-image,i-wm.png' }, '"watermark.transformation"'],
    [{ transformation: 'w-zz' }, '"watermark.transformation"'],
    [{ transformation: 'l-image,i-wm.png,l-end,q-50' }, 'steps only'],
    [{ transformation: 'n-nope' }, 'Named transformation "nope" does not exist'],
    [{ transformation: '' }, '"watermark.transformation"'],
    [{ transformation: MARK, pathPrefixes: ['shop'] }, '"watermark.pathPrefixes[0]"'],
    [{ transformation: MARK, exemptSigned: 'yes' }, '"watermark.exemptSigned"'],
    [{ transformation: MARK, extra: 1 }, '"watermark.extra"'],
    ['on', '"watermark"'],
  ])('%j is a 400 naming the field', async (watermark, fragment) => {
    const res = await patchWatermark(t, watermark);
    expect(res.status).toBe(400);
    expect((await json(res)).message).toContain(fragment);
  });

  it('is read back whole, stored without tr:, and audited', async () => {
    const u = await newTenantWithKey();
    const res = await patchWatermark(u, { transformation: `tr:${MARK}` });
    expect(res.status).toBe(200);
    const read = (await (await callApi(u.auth, 'GET', '/v1/accounts/settings')).json()) as { watermark: unknown };
    expect(read.watermark).toEqual({ transformation: MARK, exemptSigned: false, pathPrefixes: [] });
    const log = (await (await callApi(u.auth, 'GET', '/v1/accounts/audit-logs?action=settings.update')).json()) as { entries: { target: string }[] };
    expect(log.entries.map((e) => e.target)).toEqual(['settings']);
  });
});
