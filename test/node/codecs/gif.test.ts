/**
 * The GIF decoder (omggif, first frame) against libvips' GIF loader (libnsgif) through sharp: same size, same
 * pixels. Palette images decode exactly, so every alpha value and every visible RGB value must match.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../../src/codecs/errors';
import { gifDecoder } from '../../../src/codecs/gif';
import { DECODE_BUDGET_BYTES, decodePeakBytes } from '../../../src/codecs/memory-budget';
import { probe } from '../../../src/codecs/probe';
import { visibleMismatches as mismatches } from '../../shared/similarity';
import { readFixture } from '../probe/helpers';

async function decodeBoth(name: Parameters<typeof readFixture>[0]) {
  const bytes = readFixture(name);
  const frame = await gifDecoder.decode(bytes, probe(bytes), {});
  const reference = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { frame, reference };
}

describe('gif decoder', () => {
  it.each(['gifStill', 'gifInterlaced', 'gifInterlacedShort', 'gifLocalPalette', 'gifScreenSmaller', 'gifTransparent'] as const)(
    '%s decodes like libvips',
    async (name) => {
      const { frame, reference } = await decodeBoth(name);
      expect([frame.width, frame.height]).toEqual([reference.info.width, reference.info.height]);
      expect(frame.data.length).toBe(reference.data.length);
      expect(mismatches(frame.data, reference.data)).toBe(0);
    },
  );

  it('places an offset frame on a transparent screen', async () => {
    const { frame } = await decodeBoth('gifOffset');
    // libvips paints the uncovered screen black when no colour index is transparent; browsers leave it transparent,
    // as the decoder does. Inside the frame the pixels match.
    const region = { left: 6, top: 4, width: 40, height: 30 };
    const ours = await sharp(frame.data, { raw: { width: 50, height: 40, channels: 4 } }).extract(region).raw().toBuffer();
    const theirs = await sharp(readFixture('gifOffset')).ensureAlpha().extract(region).raw().toBuffer();
    expect(mismatches(new Uint8ClampedArray(ours), theirs)).toBe(0);
    expect(frame.hasAlpha).toBe(true);
    const alphaAt = (x: number, y: number) => frame.data[(y * frame.width + x) * 4 + 3];
    expect([alphaAt(0, 0), alphaAt(5, 3), alphaAt(46, 34), alphaAt(49, 39)]).toEqual([0, 0, 0, 0]);
    expect([alphaAt(6, 4), alphaAt(45, 33)]).toEqual([255, 255]);
  });

  it('an opaque still GIF decodes without alpha', async () => {
    const { frame } = await decodeBoth('gifStill');
    expect(frame.hasAlpha).toBe(false);
  });

  it('an animated GIF gives its first frame, transparency included', async () => {
    for (const name of ['gifAnimated', 'gifAnimatedAlpha'] as const) {
      const { frame, reference } = await decodeBoth(name); // sharp reads page 0 unless asked for more
      expect([frame.width, frame.height]).toEqual([reference.info.width, reference.info.height]);
      expect(mismatches(frame.data, reference.data)).toBe(0);
    }
    const { frame } = await decodeBoth('gifAnimatedAlpha');
    const at = (x: number, y: number) => Array.from(frame.data.subarray((y * 48 + x) * 4, (y * 48 + x) * 4 + 4));
    expect(at(10, 2)).toEqual([200, 40, 40, 255]);
    expect(at(10, 14)![3]).toBe(0);
    expect(frame.hasAlpha).toBe(true);
  });

  it('refuses a GIF cut inside its first frame with a CodecError', async () => {
    const bytes = readFixture('gifTruncated');
    await expect(gifDecoder.decode(bytes, probe(bytes), {})).rejects.toBeInstanceOf(CodecError);
    await expect(sharp(bytes).raw().toBuffer()).rejects.toThrow();
  });

  it('counts a whole-canvas decode against the memory budget from the header', () => {
    // The 227×149 frame on a declared 5000×5000 screen: a 23 KB file, a 25 MP canvas.
    const bytes = Uint8Array.from(readFixture('gifStill'));
    new DataView(bytes.buffer).setUint16(6, 5000, true);
    new DataView(bytes.buffer).setUint16(8, 5000, true);
    const info = probe(bytes);
    expect([info.width, info.height]).toEqual([5000, 5000]);
    expect(decodePeakBytes(bytes, info, {})).toBeGreaterThan(DECODE_BUDGET_BYTES);
    const small = readFixture('gifStill');
    expect(decodePeakBytes(small, probe(small), {})).toBeLessThan(1e6);
  });
});
