/**
 * Text layers through the Worker: URLs built by @imagekit/nodejs (test/sdk/text-urls.ts) render the text where
 * ImageKit puts it, matching Pango's raster of the same text and font (SSIM of the inked area) for Latin, Arabic
 * (the default font falling back to Noto Sans Arabic from R2) and Devanagari, wrapped at w; a tenant's own font
 * file is read from its library; bad parameters are a 400 naming them.
 */
import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { encoderFor } from '../../../src/codecs/registry';
import { createFrame, type Frame } from '../../../src/image/frame';
import { TEXT_TENANT, type TextUrl } from '../../sdk/text-tenant';
import type {} from '../../sdk/text-urls';
import { columns, inkBands, inkOnWhite } from '../../shared/ink';
import { structuralSimilarity } from '../../shared/similarity';
import { newTenantWithKey } from '../api-helpers';
import { decodeResponse, json, ORIGIN, putOriginal } from '../helpers';
import { PLATFORM_FONT_FILES, putPlatformFonts } from '../text/platform-fonts';

const urls = inject('textUrls');
const byName = (name: TextUrl['name']) => urls.find((u) => u.name === name)!;

async function whitePng(width: number, height: number): Promise<Uint8Array> {
  const frame = createFrame(width, height, false);
  frame.data.fill(255);
  return encoderFor('png').encode(frame, { quality: 80, lossless: true, progressive: false });
}

async function served(url: string): Promise<Frame> {
  const res = await SELF.fetch(url);
  if (res.status !== 200) expect.fail(`${res.status} ${await res.text()} for ${url}`);
  return decodeResponse(res);
}

/** Dark pixels as ink (the base is white, the text black): the output with alpha standing for darkness. */
const asInk = (frame: Frame): Frame => {
  const data = new Uint8ClampedArray(frame.data.length);
  for (let i = 0; i < data.length; i += 4) data[i + 3] = 255 - frame.data[i]!;
  return { ...frame, data, hasAlpha: true };
};

const reference = (u: TextUrl): Frame => {
  const bytes = Uint8Array.from(atob(u.reference.rgba), (c) => c.charCodeAt(0));
  return { width: u.reference.width, height: u.reference.height, data: new Uint8ClampedArray(bytes), hasAlpha: true };
};

async function expectError(url: string, fragment: string) {
  const res = await SELF.fetch(url);
  expect(res.status).toBe(400);
  expect(res.headers.get('Content-Type')).toContain('application/json');
  const body = await json(res);
  expect(body.message).toContain(fragment);
  expect(body.help).toBeTruthy();
}

beforeAll(async () => {
  await newTenantWithKey(undefined, {}, { tenantId: TEXT_TENANT, privateKey: 'private_sdkTextFixedTestKey' });
  await putOriginal(TEXT_TENANT, 'white.png', await whitePng(700, 200), 'image/png');
  await putOriginal(TEXT_TENANT, 'fonts/mono.ttf', new Uint8Array(PLATFORM_FONT_FILES['NotoSansMono-Regular.ttf']!), 'font/ttf');
  await putPlatformFonts();
});

describe('text overlays built by @imagekit/nodejs', () => {
  it.each(['latin', 'arabic', 'devanagari', 'wrapped'] as const)('%s matches Pango with the same font', async (name) => {
    const u = byName(name);
    const out = await served(u.url);
    expect([out.width, out.height]).toEqual([700, 200]);
    const mine = inkOnWhite(asInk(out));
    const theirs = inkOnWhite(reference(u));
    expect(structuralSimilarity(theirs, mine)).toBeGreaterThan(0.75);
    expect(Math.abs(mine.width - theirs.width)).toBeLessThanOrEqual(4);
    if (name === 'wrapped') expect(inkBands(asInk(out))).toBeGreaterThanOrEqual(2);
    // Nothing left of x 10 or above y 10: the layer's box starts at lx-10, ly-10.
    expect(inkOnWhite(asInk(columns(out, 0, 9))).width).toBe(1);
  });

  it('puts the first Arabic word on the right (right-to-left order)', async () => {
    const url = `${ORIGIN}/${TEXT_TENANT}/white.png?tr=l-text,ie-${btoa(unescape(encodeURIComponent('واحد اثنان')))},fs-40,lx-0,ly-0,l-end:f-png`;
    const first = `${ORIGIN}/${TEXT_TENANT}/white.png?tr=l-text,ie-${btoa(unescape(encodeURIComponent('واحد')))},fs-40,lx-0,ly-0,l-end:f-png`;
    const line = inkOnWhite(asInk(await served(url)));
    const word = inkOnWhite(asInk(await served(first)));
    expect(structuralSimilarity(word, columns(line, line.width - word.width, line.width))).toBeGreaterThan(0.9);
  });
});

describe('text layer parameters', () => {
  it('draws a background box with padding in the colour asked for', async () => {
    const out = await served(`${ORIGIN}/${TEXT_TENANT}/white.png?tr=l-text,i-Hi,fs-30,co-FFFFFF,bg-0000FF,pa-10_20,lx-5,ly-5,l-end:f-png`);
    const at = (x: number, y: number) => [...out.data.subarray((y * out.width + x) * 4, (y * out.width + x) * 4 + 3)];
    expect(at(6, 6)).toEqual([0, 0, 255]);
    expect(at(4, 4)).toEqual([255, 255, 255]);
  });

  it("reads the tenant's own font file by path", async () => {
    const mono = inkOnWhite(asInk(await served(`${ORIGIN}/${TEXT_TENANT}/white.png?tr=l-text,i-iiii,fs-40,ff-fonts@@mono.ttf,l-end:f-png`)));
    const sans = inkOnWhite(asInk(await served(`${ORIGIN}/${TEXT_TENANT}/white.png?tr=l-text,i-iiii,fs-40,l-end:f-png`)));
    expect(mono.width).toBeGreaterThan(sans.width * 2);
  });

  it('rotates and flips the drawn box', async () => {
    const plain = inkOnWhite(asInk(await served(`${ORIGIN}/${TEXT_TENANT}/white.png?tr=l-text,i-Rotate,fs-40,l-end:f-png`)));
    const turned = inkOnWhite(asInk(await served(`${ORIGIN}/${TEXT_TENANT}/white.png?tr=l-text,i-Rotate,fs-40,rt-90,l-end:f-png`)));
    expect(Math.abs(turned.height - plain.width)).toBeLessThanOrEqual(2);
    const flipped = inkOnWhite(asInk(await served(`${ORIGIN}/${TEXT_TENANT}/white.png?tr=l-text,i-Rotate,fs-40,fl-h,l-end:f-png`)));
    expect(structuralSimilarity(plain, flipped)).toBeLessThan(0.6);
  });

  it('refuses unknown fonts, missing font files, long text and bad colours with a 400 naming the parameter', async () => {
    const base = `${ORIGIN}/${TEXT_TENANT}/white.png?tr=`;
    await expectError(`${base}l-text,i-Hi,ff-ComicSans,l-end`, 'ff');
    await expectError(`${base}l-text,i-Hi,ff-fonts@@missing.ttf,l-end`, 'missing.ttf');
    await expectError(`${base}l-text,i-${'a'.repeat(2001)},l-end`, 'i');
    await expectError(`${base}l-text,i-Hi,co-notacolour,l-end`, 'co');
    await expectError(`${base}l-text,i-Hi,fs-5000,l-end`, 'fs');
    await expectError(`${base}l-text,i-Hi,tg-underline,l-end`, 'tg');
  });
});
