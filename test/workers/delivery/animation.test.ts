/**
 * Animations over HTTP: GIF and WebP in, animated GIF or WebP out (f-gif, f-webp, f-auto by Accept) with their
 * frames, delays and loop count; the first frame for f-jpg/f-png; the tenant's animation limits refused from the
 * header with a 422 naming the limit; a truncated animation a 422 JSON error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { gifAnimationDecoder } from '../../../src/codecs/animation/gif';
import { probe } from '../../../src/codecs/probe';
import { fixtures } from '../../fixtures/registry';
import { decodeResponse, fixtureBytes, get, json, newTenant, putOriginal } from '../helpers';

let tenant: string;
let gif: Uint8Array;
let webp: Uint8Array;

beforeAll(async () => {
  tenant = await newTenant();
  gif = await fixtureBytes(fixtures.animationGif.path);
  webp = await fixtureBytes(fixtures.animationWebp.path);
  await putOriginal(tenant, 'photo.gif', gif, 'image/gif');
  await putOriginal(tenant, 'photo.webp', webp, 'image/webp');
  await putOriginal(tenant, 'photo.png', await fixtureBytes(fixtures.animationApng.path), 'image/png');
  await putOriginal(tenant, 'cut.gif', gif.subarray(0, Math.floor(gif.length * 0.6)), 'image/gif');
  await putOriginal(tenant, 'cut.webp', webp.subarray(0, Math.floor(webp.length * 0.6)), 'image/webp');
});

const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());
const DELAYS = [40, 60, 80, 100, 120, 140, 160, 180];

describe('animated output', () => {
  it.each([
    ['photo.gif', 'f-gif', {}, 'image/gif'],
    ['photo.gif', 'f-webp', {}, 'image/webp'],
    ['photo.gif', 'f-auto', { Accept: 'image/avif,image/webp,*/*' }, 'image/webp'],
    ['photo.gif', 'f-auto', {}, 'image/gif'],
    ['photo.webp', 'f-gif', {}, 'image/gif'],
    ['photo.webp', 'f-auto', { Accept: 'image/webp' }, 'image/webp'],
  ] as const)('%s with w-60,%s (%j) → %s, 8 frames of 60×40', async (name, f, headers, type) => {
    const response = await get(`/${tenant}/tr:w-60,${f}/${name}`, { headers });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe(type);
    const info = probe(await bytesOf(response));
    expect([info.width, info.height, info.frames]).toEqual([60, 40, 8]);
  });

  it.each([
    ['f-webp', {}, 'image/webp'],
    ['f-auto', {}, 'image/gif'],
    ['f-auto', { Accept: 'image/webp' }, 'image/webp'],
  ] as const)('an APNG with w-30,%s (%j) → %s, its 4 frames', async (f, headers, type) => {
    const response = await get(`/${tenant}/tr:w-30,${f}/photo.png`, { headers });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe(type);
    const info = probe(await bytesOf(response));
    expect([info.width, info.height, info.frames]).toEqual([30, 20, 4]);
  });

  it('keeps every delay and the loop count in GIF out', async () => {
    const body = await bytesOf(await get(`/${tenant}/tr:w-60,f-gif/photo.webp`));
    const reader = await gifAnimationDecoder.open(body);
    const delays: number[] = [];
    for (let f = await reader.next(); f; f = await reader.next()) delays.push(f.delay);
    expect(delays).toEqual(DELAYS);
    expect(reader.loop).toBe(3);
  });

  it.each(['f-jpg', 'f-png'])('%s takes the first frame', async (f) => {
    const response = await get(`/${tenant}/tr:w-60,${f}/photo.gif`);
    expect(response.status).toBe(200);
    const still = await decodeResponse(response);
    expect([still.width, still.height]).toEqual([60, 40]);
    expect(probe(await bytesOf(await get(`/${tenant}/tr:w-60,${f}/photo.gif`))).frames).toBe(1);
    // The same pixels as the first frame of the animated output, not the last.
    const reader = await gifAnimationDecoder.open(await bytesOf(await get(`/${tenant}/tr:w-60,f-gif/photo.gif`)));
    const first = (await reader.next())!.frame;
    let last = first;
    for (let f = await reader.next(); f; f = await reader.next()) last = f.frame;
    const difference = (a: Uint8ClampedArray, b: Uint8ClampedArray) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length;
    expect(difference(still.data, first.data)).toBeLessThan(difference(still.data, last.data) / 3);
  });

  it('serves an untransformed animation as it is', async () => {
    expect(await bytesOf(await get(`/${tenant}/photo.webp`))).toEqual(webp);
  });
});

describe('animation limits, from the header', () => {
  it.each([
    [{ maxAnimationFrames: 5 }, 'maxAnimationFrames'],
    [{ maxAnimationFrameMegapixels: 0.005 }, 'maxAnimationFrameMegapixels'],
  ] as const)('%j refuses the animation with a 422 naming %s, and still gives its first frame', async (limits, name) => {
    const limited = await newTenant({ limits });
    await putOriginal(limited, 'photo.gif', gif, 'image/gif');
    const response = await get(`/${limited}/tr:w-60,f-gif/photo.gif`);
    expect(response.status).toBe(422);
    const body = await json(response);
    expect(body.message).toContain(name);
    expect(body.help).toBeTruthy();
    expect((await get(`/${limited}/tr:w-60,f-jpg/photo.gif`)).status).toBe(200);
  });

  it('refuses frames × pixels over maxAnimationMegapixels before decoding (a header claiming a 1000×1000 screen)', async () => {
    const limited = await newTenant({ limits: { maxAnimationMegapixels: 5 } });
    // Only the logical screen is changed: 8 frames × 1 MP is over 5 MP, and nothing is decoded to find out.
    const big = gif.slice();
    big.set([0xe8, 0x03, 0xe8, 0x03], 6);
    await putOriginal(limited, 'big.gif', big, 'image/gif');
    const response = await get(`/${limited}/tr:w-60,f-webp/big.gif`);
    expect(response.status).toBe(422);
    expect((await json(response)).message).toContain('maxAnimationMegapixels');
  });
});

describe('broken animations', () => {
  it.each(['cut.gif', 'cut.webp'])('%s (cut short) is a 422 JSON error', async (name) => {
    const response = await get(`/${tenant}/tr:w-60,f-webp/${name}`);
    expect(response.status).toBe(422);
    expect(response.headers.get('Content-Type')).toMatch(/application\/json/);
    const body = await json(response);
    expect(body.message).toMatch(/decoded|cannot be read/);
    expect(body.help).toBeTruthy();
  });
});
