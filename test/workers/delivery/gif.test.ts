/**
 * GIF originals over HTTP: still GIFs transform, animated ones give their first frame for a still format (the
 * animation itself: animation.test.ts), broken ones are a 422.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/registry';
import { decodeResponse, fixtureBytes, get, json, newTenant, putOriginal } from '../helpers';

let tenant: string;
beforeAll(async () => {
  tenant = await newTenant();
  for (const [name, fixture] of [
    ['still.gif', fixtures.gifStill],
    ['animated.gif', fixtures.gifAnimated],
    ['animated-alpha.gif', fixtures.gifAnimatedAlpha],
    ['offset.gif', fixtures.gifOffset],
    ['truncated.gif', fixtures.gifTruncated],
  ] as const) {
    await putOriginal(tenant, name, await fixtureBytes(fixture.path), 'image/gif');
  }
});

const pixel = (frame: { width: number; data: Uint8ClampedArray }, x: number, y: number) =>
  Array.from(frame.data.subarray((y * frame.width + x) * 4, (y * frame.width + x) * 4 + 4));

describe('GIF originals', () => {
  it('resizes a still GIF, delivered as PNG when the client takes no WebP or AVIF', async () => {
    const response = await get(`/${tenant}/tr:w-100/still.gif`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('image/png');
    const frame = await decodeResponse(response);
    expect([frame.format, frame.width, frame.height]).toEqual(['png', 100, 66]);
  });

  it('follows Accept under f-auto like any other original', async () => {
    const response = await get(`/${tenant}/tr:w-100/still.gif`, { headers: { Accept: 'image/webp,*/*' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('image/webp');
    expect((await decodeResponse(response)).width).toBe(100);
  });

  it('gives the first frame of an animated GIF as PNG, its transparency kept', async () => {
    const red = await decodeResponse(await get(`/${tenant}/tr:w-16,f-png/animated.gif`));
    expect([red.width, red.height]).toEqual([16, 12]);
    expect(pixel(red, 8, 6)).toEqual([255, 0, 0, 255]);
    // Frame 1 is red with a transparent band across rows 12–19 of 32; frames 2 and 3 are green and blue.
    const banded = await decodeResponse(await get(`/${tenant}/tr:w-48,f-png/animated-alpha.gif`));
    expect(pixel(banded, 10, 2)).toEqual([200, 40, 40, 255]);
    expect(pixel(banded, 10, 16)[3]).toBe(0);
  });

  it('delivers an untransformed still GIF as PNG, as for any original edgepix cannot write', async () => {
    const response = await get(`/${tenant}/still.gif`);
    expect(response.status).toBe(200);
    const frame = await decodeResponse(response);
    expect([frame.format, frame.width, frame.height]).toEqual(['png', 227, 149]);
  });

  it('serves an animated GIF untouched when nothing asks to change it, keeping the animation', async () => {
    const response = await get(`/${tenant}/animated.gif`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('image/gif');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(await fixtureBytes(fixtures.gifAnimated.path));
  });

  it('places an offset first frame on a transparent logical screen', async () => {
    const frame = await decodeResponse(await get(`/${tenant}/tr:w-50/offset.gif`));
    expect([frame.width, frame.height]).toEqual([50, 40]);
    expect(pixel(frame, 2, 2)[3]).toBe(0);
    expect(pixel(frame, 25, 20)[3]).toBe(255);
  });

  it('answers a GIF cut inside its first frame with a 422 JSON error', async () => {
    const response = await get(`/${tenant}/tr:w-100/truncated.gif`);
    expect(response.status).toBe(422);
    expect(response.headers.get('Content-Type')).toMatch(/application\/json/);
    const body = await json(response);
    expect(body.message).toMatch(/GIF|gif/);
    expect(body.help).toBeTruthy();
  });

  it('refuses a GIF whose logical screen is over the memory budget from its header', async () => {
    const bytes = (await fixtureBytes(fixtures.gifStill.path)).slice();
    new DataView(bytes.buffer).setUint16(6, 6000, true);
    new DataView(bytes.buffer).setUint16(8, 5000, true);
    const bigTenant = await newTenant({ limits: { maxInputMegapixels: 100 } });
    await putOriginal(bigTenant, 'big.gif', bytes, 'image/gif');
    const response = await get(`/${bigTenant}/tr:w-100/big.gif`);
    expect(response.status).toBe(422);
    expect((await json(response)).message).toMatch(/^Decoding this 6000×5000 GIF would take about \d+ MB/);
  });
});
