/**
 * The attention heuristic behind fo-auto, and the dominant colours behind bg-dominant, on synthetic frames whose
 * answer is known: a small colourful, textured or skin-toned patch on a plain ground must end up in the window.
 */
import { describe, expect, it } from 'vitest';
import { attentionWindow } from '../../../src/image/attention';
import { dominantColors } from '../../../src/image/dominant';
import { rowsOf } from '../../../src/image/frame-source';
import { gradientFrame } from '../../../src/image/gradient';
import { previewOf } from '../../../src/image/preview';
import { frameOf, type Pixel, solid } from './synthetic';

const GREY: Pixel = [120, 120, 120, 255];

/** A grey frame with `patch` drawn in the box. */
function withPatch(width: number, height: number, box: { x: number; y: number; w: number; h: number }, patch: (x: number, y: number) => Pixel) {
  return frameOf(width, height, (x, y) =>
    x >= box.x && x < box.x + box.w && y >= box.y && y < box.y + box.h ? patch(x, y) : GREY,
  );
}

const inside = (at: { x: number; y: number }, w: number, h: number, box: { x: number; y: number; w: number; h: number }) =>
  at.x <= box.x && at.y <= box.y && at.x + w >= box.x + box.w && at.y + h >= box.y + box.h;

describe('attentionWindow', () => {
  it('keeps a saturated patch in the window, wherever it is', async () => {
    for (const box of [
      { x: 20, y: 300, w: 120, h: 80 },
      { x: 860, y: 10, w: 100, h: 100 },
      { x: 700, y: 450, w: 150, h: 100 },
    ]) {
      const frame = withPatch(1000, 600, box, () => [230, 30, 40, 255]);
      const at = await attentionWindow(frame, 400, 300);
      expect(inside(at, 400, 300, box), JSON.stringify({ box, at })).toBe(true);
    }
  });

  it('finds texture without colour, and skin tones without texture', async () => {
    const edges = { x: 40, y: 40, w: 120, h: 120 };
    const checker = withPatch(1000, 500, edges, (x, y) => ((x >> 3) + (y >> 3)) % 2 ? [250, 250, 250, 255] : [10, 10, 10, 255]);
    expect(inside(await attentionWindow(checker, 300, 500), 300, 500, edges)).toBe(true);
    const face = { x: 800, y: 100, w: 120, h: 160 };
    const skin = withPatch(1000, 500, face, () => [224, 172, 140, 255]);
    expect(inside(await attentionWindow(skin, 300, 500), 300, 500, face)).toBe(true);
  });

  it('cuts a plain or evenly textured image exactly in the middle, as a centre crop does', async () => {
    expect(await attentionWindow(solid(1001, 600, { r: 9, g: 200, b: 9, a: 255 }), 400, 300)).toEqual({ x: 300, y: 150 });
    let seed = 1;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const noise = frameOf(900, 900, () => {
      const v = Math.round(100 + 50 * random());
      return [v, v, v, 255];
    });
    expect(await attentionWindow(noise, 300, 900)).toEqual({ x: 300, y: 0 });
  });

  it('gives transparent pixels no weight', async () => {
    const box = { x: 0, y: 0, w: 200, h: 200 };
    const frame = frameOf(800, 400, (x, y) => (x < 200 && y < 200 ? [255, 0, 0, 0] : [120, 120, 120, 255]), true);
    expect(await attentionWindow(frame, 200, 200)).not.toMatchObject({ x: 0, y: 0 });
    expect(box.w).toBe(200);
  });

  it('answers the same for a frame and a row source of it (the source is read again for the window)', async () => {
    const frame = withPatch(1200, 300, { x: 1000, y: 50, w: 150, h: 150 }, () => [30, 60, 240, 255]);
    const source = rowsOf(frame, 7);
    const fromSource = await attentionWindow(source, 300, 300);
    expect(fromSource).toEqual(await attentionWindow(frame, 300, 300));
    expect(fromSource.x).toBeGreaterThanOrEqual(850);
  });

  it('returns the origin when the window is the whole image', async () => {
    expect(await attentionWindow(solid(10, 10, { r: 1, g: 2, b: 3, a: 255 }), 10, 10)).toEqual({ x: 0, y: 0 });
  });
});

describe('previewOf', () => {
  it('averages blocks and keeps the long side within bounds', async () => {
    const frame = frameOf(1000, 500, (x) => (x < 500 ? [200, 0, 0, 255] : [0, 0, 200, 255]));
    const p = await previewOf(frame, 100);
    expect([p.width, p.height]).toEqual([100, 50]);
    expect(Array.from(p.data.subarray(0, 4))).toEqual([200, 0, 0, 255]);
    expect(Array.from(p.data.subarray(99 * 4, 100 * 4))).toEqual([0, 0, 200, 255]);
  });
});

describe('dominantColors and gradientFrame', () => {
  it('orders colours by the area they cover and keeps them distinct', async () => {
    const frame = frameOf(200, 100, (x, y) => (x < 130 ? [200, 30, 30, 255] : y < 60 ? [20, 40, 210, 255] : [205, 32, 28, 255]));
    expect(await dominantColors(frame, 1)).toEqual([{ r: 200, g: 30, b: 30, a: 255 }]);
    const [first, second] = await dominantColors(frame, 2);
    expect(first).toEqual({ r: 200, g: 30, b: 30, a: 255 });
    expect(second).toEqual({ r: 20, g: 40, b: 210, a: 255 });
    // Only two distinct colours (the boundary on preview cell edges, so no cell mixes them): the rest repeat the last.
    const two = frameOf(128, 64, (x) => (x < 96 ? [10, 200, 10, 255] : [250, 250, 250, 255]));
    expect(await dominantColors(two, 4)).toEqual([
      { r: 10, g: 200, b: 10, a: 255 },
      ...Array(3).fill({ r: 250, g: 250, b: 250, a: 255 }),
    ]);
  });

  it('shades two colours edge to edge and four from the corners', () => {
    const red = { r: 255, g: 0, b: 0, a: 255 };
    const blue = { r: 0, g: 0, b: 255, a: 255 };
    const down = gradientFrame(3, 5, [red, blue], true);
    expect(Array.from(down.data.subarray(0, 4))).toEqual([255, 0, 0, 255]);
    expect(Array.from(down.data.subarray(2 * 3 * 4, 2 * 3 * 4 + 4))).toEqual([128, 0, 128, 255]);
    expect(Array.from(down.data.subarray(4 * 3 * 4, 4 * 3 * 4 + 4))).toEqual([0, 0, 255, 255]);
    const green = { r: 0, g: 255, b: 0, a: 255 };
    const white = { r: 255, g: 255, b: 255, a: 255 };
    const corners = gradientFrame(2, 2, [red, green, blue, white], false);
    expect(Array.from(corners.data)).toEqual([255, 0, 0, 255, 0, 255, 0, 255, 255, 255, 255, 255, 0, 0, 255, 255]);
  });
});
