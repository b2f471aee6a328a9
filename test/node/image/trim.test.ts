import { describe, expect, it } from 'vitest';
import { findTrimBox } from '../../../src/image/trim';
import { frameOf, solid } from './synthetic';

const white = { r: 255, g: 255, b: 255, a: 255 };

describe('findTrimBox', () => {
  it('finds the content inside a uniform margin', () => {
    const frame = frameOf(30, 20, (x, y) =>
      x >= 5 && x < 22 && y >= 3 && y < 15 ? [20, 40, 200, 255] : [255, 255, 255, 255]);
    expect(findTrimBox(frame, 10)).toEqual({ x: 5, y: 3, width: 17, height: 12 });
  });

  it('treats near-background noise below the threshold as background', () => {
    const frame = frameOf(30, 20, (x, y) => {
      if (x === 12 && y === 10) return [0, 0, 0, 255];
      return (x + y) % 2 ? [250, 250, 250, 255] : [255, 255, 255, 255];
    });
    expect(findTrimBox(frame, 10)).toEqual({ x: 12, y: 10, width: 1, height: 1 });
    expect(findTrimBox(frame, 0).width).toBe(30);
  });

  it('returns the whole frame when nothing differs', () => {
    expect(findTrimBox(solid(8, 6, white), 10)).toEqual({ x: 0, y: 0, width: 8, height: 6 });
  });

  it('matches transparent pixels whatever their colour', () => {
    const frame = frameOf(10, 10, (x, y) =>
      x === 4 && y >= 2 && y < 7 ? [255, 0, 0, 255] : [(x * 40) % 256, y * 20, 0, 0], true);
    expect(findTrimBox(frame, 10)).toEqual({ x: 4, y: 2, width: 1, height: 5 });
  });
});
