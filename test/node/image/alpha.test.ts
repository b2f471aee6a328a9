import { describe, expect, it } from 'vitest';
import { compositeOver, flatten } from '../../../src/image/flatten';
import { roundCorners } from '../../../src/image/radius';
import { frameOf, pixelAt, solid } from './synthetic';

const grey = { r: 128, g: 128, b: 128, a: 255 };

describe('roundCorners', () => {
  it('makes corners transparent, keeps the centre opaque and marks the frame as having alpha', () => {
    const frame = solid(40, 30, grey);
    expect(roundCorners(frame, { tl: 10, tr: 10, br: 10, bl: 10 })).toBe(frame);
    expect(frame.hasAlpha).toBe(true);
    for (const [x, y] of [[0, 0], [39, 0], [0, 29], [39, 29], [1, 1]] as const) expect(pixelAt(frame, x, y)[3]).toBe(0);
    for (const [x, y] of [[20, 15], [20, 0], [0, 15], [10, 10]] as const) expect(pixelAt(frame, x, y)[3]).toBe(255);
    expect(pixelAt(frame, 5, 5)).toEqual([128, 128, 128, 255]);
  });

  it('antialiases the curve', () => {
    const frame = solid(40, 40, grey);
    roundCorners(frame, { tl: 15, tr: 0, br: 0, bl: 0 });
    const partial = [];
    for (let x = 0; x < 15; x++) for (let y = 0; y < 15; y++) {
      const a = pixelAt(frame, x, y)[3];
      if (a > 0 && a < 255) partial.push(a);
    }
    expect(partial.length).toBeGreaterThan(10);
    expect(pixelAt(frame, 39, 0)[3]).toBe(255);
  });

  it("'max' cuts the inscribed circle or ellipse", () => {
    const square = solid(41, 41, grey);
    roundCorners(square, 'max');
    expect(pixelAt(square, 0, 0)[3]).toBe(0);
    expect(pixelAt(square, 4, 4)[3]).toBe(0); // 22.6 px from the centre, radius 20.5
    expect(pixelAt(square, 20, 0)[3]).toBeGreaterThan(200);
    expect(pixelAt(square, 0, 20)[3]).toBeGreaterThan(200);
    expect(pixelAt(square, 20, 20)[3]).toBe(255);
    const wide = solid(80, 20, grey);
    roundCorners(wide, 'max');
    expect(pixelAt(wide, 40, 0)[3]).toBeGreaterThan(200);
    expect(pixelAt(wide, 10, 2)[3]).toBe(0);
    expect(pixelAt(wide, 40, 10)[3]).toBe(255);
  });

  it('scales radii down when they do not fit', () => {
    const frame = solid(20, 20, grey);
    roundCorners(frame, { tl: 100, tr: 100, br: 100, bl: 100 });
    expect(pixelAt(frame, 10, 10)[3]).toBe(255);
    expect(pixelAt(frame, 10, 0)[3]).toBeGreaterThan(200);
  });
});

describe('flatten', () => {
  const translucent = () => frameOf(3, 1, (x) => [[255, 0, 0, 255], [255, 0, 0, 128], [255, 0, 0, 0]][x] as [number, number, number, number], true);

  it('composites over an opaque colour and drops alpha', () => {
    const frame = translucent();
    expect(flatten(frame, { r: 0, g: 0, b: 255, a: 255 })).toBe(frame);
    expect(frame.hasAlpha).toBe(false);
    expect(pixelAt(frame, 0, 0)).toEqual([255, 0, 0, 255]);
    expect(pixelAt(frame, 1, 0)).toEqual([128, 0, 127, 255]);
    expect(pixelAt(frame, 2, 0)).toEqual([0, 0, 255, 255]);
  });

  it('applies the over operator for a translucent background', () => {
    const frame = compositeOver(translucent(), { r: 0, g: 0, b: 255, a: 128 });
    expect(frame.hasAlpha).toBe(true);
    const [r, , b, a] = pixelAt(frame, 1, 0);
    // alpha: 0.502 + 0.502 * 0.498 ≈ 0.752; colour weighted 0.502 : 0.25
    expect(a).toBe(192);
    expect(r).toBeCloseTo(170, -1);
    expect(b).toBeCloseTo(85, -1);
    expect(pixelAt(frame, 2, 0)).toEqual([0, 0, 255, 128]);
  });

  it('leaves an opaque frame alone', () => {
    const frame = solid(2, 2, grey);
    flatten(frame, { r: 0, g: 0, b: 0, a: 255 });
    expect(pixelAt(frame, 1, 1)).toEqual([128, 128, 128, 255]);
  });
});
