/**
 * e-shadow, e-gradient and e-distort through the Worker, on SVG and JPEG originals, and ipw conditions: output
 * sizes and pixels against values worked out here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/registry';
import { decodeResponse, fixtureBytes, get, json, newTenant, putOriginal } from '../helpers';

/** A transparent 100×100 canvas with an opaque red 20×20 square at (40, 40). */
const SQUARE =
  '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect x="40" y="40" width="20" height="20" fill="red"/></svg>';
/** An opaque white 100×100 canvas. */
const WHITE = '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100" fill="white"/></svg>';

let tenant: string;
beforeAll(async () => {
  tenant = await newTenant();
  await putOriginal(tenant, 'square.svg', new TextEncoder().encode(SQUARE), 'image/svg+xml');
  await putOriginal(tenant, 'white.svg', new TextEncoder().encode(WHITE), 'image/svg+xml');
  await putOriginal(tenant, 'landscape.jpg', await fixtureBytes(fixtures.landscape0.path));
});

const pixel = (frame: { width: number; data: Uint8ClampedArray }, x: number, y: number) =>
  Array.from(frame.data.subarray((y * frame.width + x) * 4, (y * frame.width + x) * 4 + 4));

async function image(tr: string, file: string) {
  const response = await get(`/${tenant}/tr:${tr}/${file}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return decodeResponse(response);
}

describe('effects through the Worker', () => {
  it('e-shadow: a shadow as dark as st, offset by x% and y%, under the square', async () => {
    const frame = await image('e-shadow-bl-0_st-50_x-10_y-10,f-png', 'square.svg');
    expect([frame.width, frame.height]).toEqual([100, 100]);
    const [r, g, b, a] = pixel(frame, 65, 65);
    expect([r, g, b]).toEqual([0, 0, 0]);
    expect(Math.abs(a! - 128)).toBeLessThanOrEqual(1);
    expect(pixel(frame, 50, 50)).toEqual([255, 0, 0, 255]);
    expect(pixel(frame, 35, 35)[3]).toBe(0);
    // N moves it the other way.
    const left = await image('e-shadow-bl-0_st-50_x-N10_y-0,f-png', 'square.svg');
    expect(pixel(left, 32, 50)[3]).toBeGreaterThan(100);
    expect(pixel(left, 65, 50)[3]).toBe(0);
  });

  it('e-shadow on more than 2 MP is a 400 JSON; resized first in the step it works', async () => {
    // 1800×1200 is 2.16 MP.
    const refused = await get(`/${tenant}/tr:e-shadow/landscape.jpg`);
    expect(refused.status).toBe(400);
    const body = await json(refused);
    expect(body.message).toContain('2 MP');
    expect(body.help).toContain('w-500,e-shadow');
    const resized = await image('w-500,e-shadow', 'landscape.jpg');
    expect([resized.width, resized.height]).toEqual([500, 333]);
  });

  it('e-gradient: the documented default fades white to transparent from top to bottom', async () => {
    const frame = await image('e-gradient,f-png', 'square.svg');
    // Top row over transparency: nearly opaque white; bottom row: nearly nothing.
    const top = pixel(frame, 10, 0);
    expect(top.slice(0, 3)).toEqual([255, 255, 255]);
    expect(top[3]).toBeGreaterThan(250);
    expect(pixel(frame, 10, 99)[3]).toBeLessThan(5);
    const ld = await image('e-gradient-ld-right_from-000000_to-0000FF_sp-0.5,f-png', 'white.svg');
    for (const x of [0, 24, 49]) {
      const t = (x + 0.5) / 50;
      const [r, g, b, a] = pixel(ld, x, 50);
      expect(Math.abs(b! - Math.round(255 * t))).toBeLessThanOrEqual(1);
      expect([r, g, a]).toEqual([0, 0, 255]);
    }
    expect(pixel(ld, 80, 50)).toEqual([0, 0, 255, 255]);
  });

  it('e-distort: an arc grows the canvas as planned; a perspective keeps it and moves the corners', async () => {
    const arc = await image('w-200:e-distort-a-90,f-png', 'landscape.jpg');
    // 200×133 bent 90°: middle radius 200/(π/2), the top row 66.5 px outside it, the bottom row inside.
    const middle = 200 / (Math.PI / 2);
    const outer = middle + 133 / 2;
    const inner = middle - 133 / 2;
    expect([arc.width, arc.height]).toEqual([Math.ceil(2 * outer * Math.SQRT1_2), Math.ceil(outer - inner * Math.SQRT1_2)]);
    expect(pixel(arc, 1, 1)[3]).toBe(0);
    expect(pixel(arc, arc.width >> 1, 2)[3]).toBe(255);
    const quad = await image('e-distort-p-20_20_80_0_100_100_0_80,f-png', 'white.svg');
    expect([quad.width, quad.height]).toEqual([100, 100]);
    expect(pixel(quad, 5, 5)[3]).toBe(0);
    expect(pixel(quad, 50, 50)).toEqual([255, 255, 255, 255]);
    expect(pixel(quad, 97, 97)[3]).toBe(255);
  });

  it('refuses bad effect values with a 400 naming the parameter', async () => {
    for (const tr of ['e-shadow-bl-99', 'e-gradient-ld-sideways', 'e-distort-q-1']) {
      const response = await get(`/${tenant}/tr:${tr}/square.svg`);
      expect(response.status).toBe(400);
      expect((await json(response)).message).toContain(tr.split('-').slice(0, 2).join('-'));
    }
  });
});

describe('ipw / iph conditions through the Worker', () => {
  it('judge the block’s input after the earlier steps, from the header', async () => {
    // 1800×1200 → w-600 makes 600×400 where the block starts.
    const tr = (cond: string) => `w-600:if-${cond},rt-90,if-end`;
    const turned = await image(tr('ipw_eq_600_and_iph_eq_400'), 'landscape.jpg');
    expect([turned.width, turned.height]).toEqual([400, 600]);
    const kept = await image(tr('ipw_gt_600'), 'landscape.jpg');
    expect([kept.width, kept.height]).toEqual([600, 400]);
  });
});
