/** Frame.boxFiltered (set by a DCT-scaled JPEG decode) survives operations that only move pixels, and no other. */
import { describe, expect, it } from 'vitest';
import { crop } from '../../../src/image/crop';
import type { Frame } from '../../../src/image/frame';
import { applyOrientation } from '../../../src/image/orient';
import { applyOp } from '../../../src/transform/apply-op';
import { noise } from './synthetic';

const boxFiltered = (): Frame => ({ ...noise(8, 6), boxFiltered: true });

describe('Frame.boxFiltered', () => {
  it('is kept by crops and by every EXIF orientation', () => {
    expect(crop(boxFiltered(), 1, 1, 4, 3).boxFiltered).toBe(true);
    for (let orientation = 1; orientation <= 8; orientation++) {
      expect(applyOrientation(boxFiltered(), orientation).boxFiltered).toBe(true);
    }
  });

  it('is kept by extract and flip operations', async () => {
    expect((await applyOp(boxFiltered(), { op: 'extract', x: 2, y: 1, width: 3, height: 3 })).boxFiltered).toBe(true);
    expect((await applyOp(boxFiltered(), { op: 'flip', horizontal: true, vertical: false })).boxFiltered).toBe(true);
  });

  it('is dropped by operations that change pixels, in place or not', async () => {
    const frame = boxFiltered();
    const out = await applyOp(frame, { op: 'grayscale' });
    expect(out).toBe(frame);
    expect(out.boxFiltered).toBe(false);
    expect((await applyOp(boxFiltered(), { op: 'blur', sigma: 2 })).boxFiltered).toBe(false);
  });

  it('is not set on frames that never had it', async () => {
    expect(crop(noise(8, 6), 0, 0, 4, 4).boxFiltered).toBeUndefined();
    expect((await applyOp(noise(8, 6), { op: 'flip', horizontal: false, vertical: true })).boxFiltered).toBeUndefined();
  });
});
