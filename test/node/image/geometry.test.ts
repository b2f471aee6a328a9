import { describe, expect, it } from 'vitest';
import { addBorder } from '../../../src/image/border';
import { crop } from '../../../src/image/crop';
import { pad } from '../../../src/image/pad';
import { anchorOffset } from '../../../src/image/placement';
import { rotate } from '../../../src/image/rotate';
import { ids, numbered, pixelAt, solid } from './synthetic';

const red = { r: 255, g: 0, b: 0, a: 255 };
const clear = { r: 0, g: 0, b: 0, a: 0 };

describe('crop', () => {
  it('copies the region exactly', () => {
    const out = crop(numbered(4, 3), 1, 1, 2, 2);
    expect([out.width, out.height]).toEqual([2, 2]);
    expect(ids(out)).toEqual([[6, 7], [10, 11]]);
  });

  it('returns the frame itself for a full crop', () => {
    const frame = numbered(2, 2);
    expect(crop(frame, 0, 0, 2, 2)).toBe(frame);
  });

  it('rejects regions outside the frame', () => {
    const frame = numbered(4, 3);
    expect(() => crop(frame, 3, 0, 2, 1)).toThrow(RangeError);
    expect(() => crop(frame, -1, 0, 1, 1)).toThrow(RangeError);
    expect(() => crop(frame, 0, 0, 0, 1)).toThrow(RangeError);
    expect(() => crop(frame, 0.5, 0, 1, 1)).toThrow(RangeError);
  });
});

describe('pad', () => {
  it('places the frame on a colour', () => {
    const out = pad(numbered(2, 2), 4, 3, 1, 0, red);
    expect([out.width, out.height]).toEqual([4, 3]);
    expect(ids(crop(out, 1, 0, 2, 2))).toEqual([[1, 2], [3, 4]]);
    for (const [x, y] of [[0, 0], [3, 0], [0, 2], [3, 2], [1, 2]] as const) expect(pixelAt(out, x, y)).toEqual([255, 0, 0, 255]);
  });

  it('tracks alpha from the frame and the fill', () => {
    expect(pad(solid(1, 1, red), 2, 2, 0, 0, red).hasAlpha).toBe(false);
    expect(pad(solid(1, 1, red), 2, 2, 0, 0, clear).hasAlpha).toBe(true);
    expect(pad(numbered(1, 1), 2, 2, 0, 0, red).hasAlpha).toBe(true);
  });

  it('uses a background frame of the canvas size', () => {
    const background = solid(3, 3, { r: 0, g: 0, b: 255, a: 255 });
    const out = pad(numbered(1, 1), 3, 3, 1, 1, background);
    expect(pixelAt(out, 0, 0)).toEqual([0, 0, 255, 255]);
    expect(pixelAt(out, 1, 1)[0]).toBe(1);
    expect(() => pad(numbered(1, 1), 4, 4, 0, 0, background)).toThrow(RangeError);
  });

  it('rejects a frame that does not fit', () => {
    expect(() => pad(numbered(2, 2), 3, 3, 2, 0, red)).toThrow(RangeError);
  });
});

describe('addBorder', () => {
  it('grows the frame by twice the width and colours the edge', () => {
    const out = addBorder(solid(3, 2, { r: 0, g: 255, b: 0, a: 255 }), 2, red);
    expect([out.width, out.height]).toEqual([7, 6]);
    expect(pixelAt(out, 0, 0)).toEqual([255, 0, 0, 255]);
    expect(pixelAt(out, 1, 3)).toEqual([255, 0, 0, 255]);
    expect(pixelAt(out, 2, 2)).toEqual([0, 255, 0, 255]);
    expect(pixelAt(out, 4, 3)).toEqual([0, 255, 0, 255]);
    expect(pixelAt(out, 5, 3)).toEqual([255, 0, 0, 255]);
  });
});

describe('rotate', () => {
  it('turns exactly by quarter turns, clockwise', () => {
    expect(ids(rotate(numbered(3, 2), 90, red))).toEqual([[4, 1], [5, 2], [6, 3]]);
    expect(ids(rotate(numbered(3, 2), 180, red))).toEqual([[6, 5, 4], [3, 2, 1]]);
    expect(ids(rotate(numbered(3, 2), 270, red))).toEqual([[3, 6], [2, 5], [1, 4]]);
    expect(ids(rotate(numbered(3, 2), -90, red))).toEqual([[3, 6], [2, 5], [1, 4]]);
    const frame = numbered(3, 2);
    expect(rotate(frame, 360, red)).toBe(frame);
  });

  it('expands the canvas for other angles and fills the corners', () => {
    const out = rotate(solid(100, 50, { r: 0, g: 0, b: 255, a: 255 }), 45, red);
    expect(Math.abs(out.width - 107)).toBeLessThanOrEqual(1);
    expect(Math.abs(out.height - 107)).toBeLessThanOrEqual(1);
    expect(out.hasAlpha).toBe(false);
    const last = out.width - 1;
    for (const [x, y] of [[0, 0], [last, 0], [0, last], [last, last]] as const) expect(pixelAt(out, x, y)).toEqual([255, 0, 0, 255]);
    expect(pixelAt(out, out.width >> 1, out.height >> 1)).toEqual([0, 0, 255, 255]);
  });

  it('antialiases the edge between image and fill', () => {
    const out = rotate(solid(40, 40, { r: 0, g: 0, b: 255, a: 255 }), 30, red);
    const y = out.height >> 1;
    const row = Array.from({ length: out.width }, (_, x) => pixelAt(out, x, y));
    expect(row.some(([r, , b]) => r > 20 && r < 235 && b > 20 && b < 235)).toBe(true);
  });

  it('makes the uncovered area transparent with a transparent fill, without darkening the image edge', () => {
    const out = rotate(solid(40, 40, { r: 255, g: 255, b: 255, a: 255 }), 30, clear);
    expect(out.hasAlpha).toBe(true);
    expect(pixelAt(out, 0, 0)[3]).toBe(0);
    for (let x = 0; x < out.width; x++) {
      const [r, g, b, a] = pixelAt(out, x, out.height >> 1);
      if (a > 0) expect([r, g, b]).toEqual([255, 255, 255]);
    }
  });

  it('keeps the rotated content the right way round', () => {
    // A bright top row must end up on the right after 10° clockwise.
    const frame = solid(40, 40, { r: 0, g: 0, b: 0, a: 255 });
    frame.data.fill(255, 0, 40 * 4 * 5);
    const out = rotate(frame, 10, { r: 0, g: 0, b: 0, a: 255 });
    const brightness = (x0: number, x1: number): number => {
      let sum = 0;
      for (let y = 0; y < out.height; y++) for (let x = x0; x < x1; x++) sum += pixelAt(out, x, y)[0];
      return sum;
    };
    expect(brightness(out.width >> 1, out.width)).toBeGreaterThan(brightness(0, out.width >> 1));
  });
});

describe('anchorOffset', () => {
  it('splits the free space by anchor', () => {
    expect(anchorOffset('center', 10, 7)).toEqual({ x: 5, y: 3 });
    expect(anchorOffset('top_left', 10, 7)).toEqual({ x: 0, y: 0 });
    expect(anchorOffset('top', 10, 7)).toEqual({ x: 5, y: 0 });
    expect(anchorOffset('bottom_right', 10, 7)).toEqual({ x: 10, y: 7 });
    expect(anchorOffset('left', 10, 7)).toEqual({ x: 0, y: 3 });
    expect(anchorOffset('right', 10, 7)).toEqual({ x: 10, y: 3 });
    expect(anchorOffset('bottom_left', 10, 7)).toEqual({ x: 0, y: 7 });
  });
});
