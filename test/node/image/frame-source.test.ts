/** Row sources: a frame read in strips, materialized back, and windowed by an extract without being held whole. */
import { describe, expect, it } from 'vitest';
import { crop, cropRows } from '../../../src/image/crop';
import type { Frame } from '../../../src/image/frame';
import { type FrameSource, isFrameSource, materialize, rowsOf } from '../../../src/image/frame-source';
import { applyOp } from '../../../src/transform/apply-op';
import { noise } from './synthetic';

/** A source over `frame` that records how many of its rows were handed out before the reader stopped. */
function counted(frame: Frame, stripRows: number): FrameSource & { delivered: number } {
  const inner = rowsOf(frame, stripRows);
  const source = {
    ...inner,
    delivered: 0,
    read: (onRows: Parameters<FrameSource['read']>[0]) =>
      inner.read((rows, count) => {
        source.delivered += count;
        return onRows(rows, count);
      }),
  };
  return source;
}

const bytes = (frame: Frame) => Array.from(frame.data);

describe('rowsOf and materialize', () => {
  it.each([1, 5, 64])('give the frame back from strips of %i rows', async (strip) => {
    const frame = { ...noise(23, 17), boxFiltered: true };
    const back = await materialize(rowsOf(frame, strip));
    expect(back).not.toBe(frame);
    expect([back.width, back.height, back.hasAlpha, back.boxFiltered]).toEqual([23, 17, false, true]);
    expect(bytes(back)).toEqual(bytes(frame));
  });

  it('refuse a source that gives fewer or more rows than it promised', async () => {
    const frame = noise(8, 6);
    await expect(materialize({ ...rowsOf(frame), height: 7 })).rejects.toThrow(/ended after 6 of its 7 rows/);
    await expect(materialize({ ...rowsOf(frame), height: 5 })).rejects.toThrow(/more than its 5 rows/);
  });
});

describe('cropRows', () => {
  const frame = noise(31, 29, 7);

  it.each([
    [0, 0, 31, 29],
    [0, 0, 31, 10], // full width, top: strips pass through uncopied
    [0, 12, 31, 9],
    [4, 0, 10, 29],
    [3, 5, 17, 11],
    [30, 28, 1, 1],
  ])('gives what crop gives for %i,%i %i×%i, from strips of any height', async (x, y, width, height) => {
    for (const strip of [1, 4, 29]) {
      const out = await materialize(cropRows(rowsOf(frame, strip), x, y, width, height));
      expect(bytes(out), `strips of ${strip}`).toEqual(bytes(crop(frame, x, y, width, height)));
    }
  });

  it('stops reading after the region’s last row', async () => {
    const source = counted(frame, 4);
    await materialize(cropRows(source, 2, 3, 10, 6)); // rows 3-8: the strips up to row 11
    expect(source.delivered).toBe(12);
  });

  it('refuses a region outside the source, as crop does', () => {
    expect(() => cropRows(rowsOf(frame), 20, 0, 12, 5)).toThrow(RangeError);
    expect(() => cropRows(rowsOf(frame), 0, 0, 0, 5)).toThrow(RangeError);
    expect(() => cropRows(rowsOf(frame), 0.5, 0, 3, 5)).toThrow(RangeError);
  });

  it('keeps the source’s box filtering, and an extract operation keeps a source a source', async () => {
    const source = rowsOf({ ...frame, boxFiltered: true });
    const out = await applyOp(source, { op: 'extract', x: 1, y: 2, width: 5, height: 5 });
    expect(isFrameSource(out)).toBe(true);
    expect(out.boxFiltered).toBe(true);
    // Any other operation reads the source into a frame first.
    const flipped = await applyOp(source, { op: 'flip', horizontal: true, vertical: false });
    expect(isFrameSource(flipped)).toBe(false);
  });
});
