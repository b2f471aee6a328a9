import { describe, expect, it } from 'vitest';
import { flip } from '../../../src/image/flip';
import { rowsOf } from '../../../src/image/frame-source';
import { applyOrientation, orientRows } from '../../../src/image/orient';
import { ids, noise, numbered } from './synthetic';

// numbered(3, 2) is
//   1 2 3
//   4 5 6
describe('applyOrientation', () => {
  const cases: [number, number[][]][] = [
    [1, [[1, 2, 3], [4, 5, 6]]],
    [2, [[3, 2, 1], [6, 5, 4]]],
    [3, [[6, 5, 4], [3, 2, 1]]],
    [4, [[4, 5, 6], [1, 2, 3]]],
    [5, [[1, 4], [2, 5], [3, 6]]],
    [6, [[4, 1], [5, 2], [6, 3]]],
    [7, [[6, 3], [5, 2], [4, 1]]],
    [8, [[3, 6], [2, 5], [1, 4]]],
  ];
  it.each(cases)('orientation %i', (orientation, expected) => {
    const out = applyOrientation(numbered(3, 2), orientation);
    expect(out.width).toBe(expected[0]!.length);
    expect(out.height).toBe(expected.length);
    expect(ids(out)).toEqual(expected);
  });

  it('works in place for same-size orientations and allocates for transposing ones', () => {
    const frame = numbered(3, 2);
    expect(applyOrientation(frame, 1)).toBe(frame);
    expect(applyOrientation(frame, 3)).toBe(frame);
    const turned = applyOrientation(frame, 6);
    expect(turned).not.toBe(frame);
    expect(turned.hasAlpha).toBe(true);
  });

  it('ignores out-of-range tags', () => {
    const frame = numbered(2, 2);
    expect(ids(applyOrientation(frame, 9))).toEqual([[1, 2], [3, 4]]);
  });

  it('is exact across tile boundaries of a larger frame', () => {
    const w = 150, h = 70;
    const frame = noise(w, h, 5);
    const src = new Uint32Array(frame.data.slice().buffer);
    const out = applyOrientation(frame, 6);
    const dst = new Uint32Array(out.data.buffer);
    let mismatches = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) if (dst[x * h + (h - 1 - y)] !== src[y * w + x]) mismatches++;
    }
    expect(mismatches).toBe(0);
  });
});

describe('flip', () => {
  it('mirrors horizontally, vertically and both, in place', () => {
    const frame = numbered(3, 3);
    expect(flip(frame, true, false)).toBe(frame);
    expect(ids(frame)).toEqual([[3, 2, 1], [6, 5, 4], [9, 8, 7]]);
    expect(ids(flip(numbered(3, 3), false, true))).toEqual([[7, 8, 9], [4, 5, 6], [1, 2, 3]]);
    expect(ids(flip(numbered(3, 3), true, true))).toEqual([[9, 8, 7], [6, 5, 4], [3, 2, 1]]);
    expect(ids(flip(numbered(3, 3), false, false))).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  });

  it('copes with pixel data that is not 4-byte aligned', () => {
    const source = numbered(3, 1);
    const backing = new Uint8ClampedArray(source.data.length + 1);
    backing.set(source.data, 1);
    const frame = { ...source, data: backing.subarray(1) };
    expect(flip(frame, true, false)).toBe(frame);
    expect(ids(frame)).toEqual([[3, 2, 1]]);
    expect(ids(applyOrientation(frame, 6))).toEqual([[3], [2], [1]]);
  });

  it('handles even heights and single rows', () => {
    expect(ids(flip(numbered(2, 4), false, true))).toEqual([[7, 8], [5, 6], [3, 4], [1, 2]]);
    expect(ids(flip(numbered(4, 1), false, true))).toEqual([[1, 2, 3, 4]]);
  });
});

describe('orientRows', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('orientation %i: a source read in strips gives applyOrientation\'s frame', async (orientation) => {
    // 37×23 in strips of 5 rows: strips end mid-image and the last one is short.
    const expected = applyOrientation(noise(37, 23, 7), orientation);
    const out = await orientRows(rowsOf(noise(37, 23, 7), 5), orientation);
    expect([out.width, out.height]).toEqual([expected.width, expected.height]);
    expect(out.data).toEqual(expected.data);
  });
});
