import { describe, expect, it } from 'vitest';
import { boxShrink, shrinkFactor } from '../../../src/image/shrink';
import { frameOf, pixelAt } from './synthetic';

describe('boxShrink', () => {
  it('averages each block', () => {
    const f = frameOf(4, 2, (x) => (x < 2 ? [0, 100, 200, 255] : [x === 2 ? 10 : 30, 0, 0, 255]));
    const out = boxShrink(f, 2);
    expect([out.width, out.height]).toEqual([2, 1]);
    expect(pixelAt(out, 0, 0)).toEqual([0, 100, 200, 255]);
    expect(pixelAt(out, 1, 0)).toEqual([20, 0, 0, 255]);
  });

  it('averages partial edge blocks over the pixels they have', () => {
    const f = frameOf(5, 5, (x, y) => (x === 4 || y === 4 ? [200, 200, 200, 255] : [0, 0, 0, 255]));
    const out = boxShrink(f, 2);
    expect([out.width, out.height]).toEqual([3, 3]);
    expect(pixelAt(out, 2, 2)).toEqual([200, 200, 200, 255]);
    expect(pixelAt(out, 0, 0)).toEqual([0, 0, 0, 255]);
  });

  it('weights colour by alpha so transparent pixels do not darken edges', () => {
    const f = frameOf(2, 2, (x) => (x === 0 ? [0, 0, 0, 0] : [255, 0, 0, 255]), true);
    const out = boxShrink(f, 2);
    expect(pixelAt(out, 0, 0)).toEqual([255, 0, 0, 128]);
    expect(out.hasAlpha).toBe(true);
  });

  it('is the identity for factor 1 and refuses fractional factors', () => {
    const f = frameOf(3, 3, () => [1, 2, 3, 255]);
    expect(boxShrink(f, 1)).toBe(f);
    expect(() => boxShrink(f, 1.5)).toThrow(RangeError);
  });
});

describe('shrinkFactor', () => {
  it('leaves at least 2× for the final filter on both axes', () => {
    expect(shrinkFactor({ width: 4000, height: 3000 }, { width: 800, height: 600 })).toBe(2);
    expect(shrinkFactor({ width: 4000, height: 3000 }, { width: 400, height: 300 })).toBe(5);
    expect(shrinkFactor({ width: 1000, height: 800 }, { width: 600, height: 480 })).toBe(1);
    expect(shrinkFactor({ width: 4000, height: 3000 }, { width: 100, height: 2000 })).toBe(1);
  });
});
