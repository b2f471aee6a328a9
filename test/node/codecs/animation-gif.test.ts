/**
 * Animated GIF read frame by frame (src/codecs/animation/gif.ts) against libvips' GIF loader (libnsgif) through
 * sharp: every composited frame, disposal and transparency included, with its delay and the loop count.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { gifAnimationDecoder } from '../../../src/codecs/animation/gif';
import type { AnimationFrame } from '../../../src/codecs/animation/types';
import { CodecError } from '../../../src/codecs/errors';
import { visibleMismatches as mismatches } from '../../shared/similarity';
import { readFixture } from '../probe/helpers';

async function readAll(bytes: Uint8Array) {
  const reader = await gifAnimationDecoder.open(bytes);
  const frames: AnimationFrame[] = [];
  try {
    for (let f = await reader.next(); f; f = await reader.next()) frames.push(f);
  } finally {
    reader.close();
  }
  return { reader, frames };
}

/** sharp's frames, stacked, as RGBA. */
async function reference(bytes: Uint8Array) {
  const { data, info } = await sharp(bytes, { animated: true }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const meta = await sharp(bytes, { animated: true }).metadata();
  const size = info.width * meta.pageHeight! * 4;
  return { meta, frame: (i: number) => new Uint8Array(data.buffer, data.byteOffset + i * size, size) };
}

const pixel = (f: AnimationFrame, x: number, y: number) => Array.from(f.frame.data.subarray((y * 16 + x) * 4, (y * 16 + x) * 4 + 4));
const RED = [255, 0, 0, 255];

describe('animated GIF reader', () => {
  it('gives every frame of a photo animation as libnsgif composites it, with its delay and the loop count', async () => {
    const bytes = readFixture('animationGif');
    const { reader, frames } = await readAll(bytes);
    const ref = await reference(bytes);
    expect([reader.width, reader.height, reader.loop]).toEqual([120, 80, ref.meta.loop]);
    expect(reader.loop).toBe(3);
    expect(frames.map((f) => f.delay)).toEqual(ref.meta.delay);
    expect(frames).toHaveLength(8);
    for (const [i, f] of frames.entries()) expect(mismatches(f.frame.data, ref.frame(i)), `frame ${i}`).toBe(0);
  });

  it('disposes to background and to previous, and keeps what is under the transparent index', async () => {
    const bytes = readFixture('animationDisposal');
    const { reader, frames } = await readAll(bytes);
    expect(reader.loop).toBe(0);
    expect(frames.map((f) => f.delay)).toEqual([100, 200, 300, 400]);
    // Frame 1: green over the top-left quarter of the red canvas.
    expect(pixel(frames[1]!, 2, 2)).toEqual([0, 255, 0, 255]);
    // Frame 2: frame 1's rectangle cleared to transparent (disposal 2), blue bottom right.
    expect(pixel(frames[2]!, 2, 2)[3]).toBe(0);
    expect(pixel(frames[2]!, 12, 12)).toEqual([0, 0, 255, 255]);
    // Frame 3: the canvas as before frame 2 (disposal 3: bottom right red again), black square at (8,0) whose
    // transparent left column shows the red under it.
    expect(pixel(frames[3]!, 12, 12)).toEqual(RED);
    expect(pixel(frames[3]!, 2, 2)[3]).toBe(0);
    expect(pixel(frames[3]!, 8, 0)).toEqual(RED);
    expect(pixel(frames[3]!, 9, 0)).toEqual([0, 0, 0, 255]);
    expect(frames.map((f) => f.frame.hasAlpha)).toEqual([false, false, true, true]);
    // libnsgif fills a rectangle disposed to background with the background colour (index 0, opaque black here);
    // browsers clear it to transparent, as this reader does. Everything else is libnsgif's frame exactly.
    const ref = await reference(bytes);
    const cleared = (i: number, data: Uint8Array) => (i >= 2 ? [...data.subarray((2 * 16 + 2) * 4, (2 * 16 + 2) * 4 + 4)] : undefined);
    for (const [i, f] of frames.entries()) {
      expect(mismatches(f.frame.data, ref.frame(i)), `frame ${i}`).toBe(i >= 2 ? 64 : 0);
      if (i >= 2) expect(cleared(i, ref.frame(i))).toEqual([0, 0, 0, 255]);
    }
  });

  it('refuses a frame cut short with a CodecError, after the frames before it', async () => {
    const bytes = readFixture('animationGif');
    const reader = await gifAnimationDecoder.open(bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    let read = 0;
    const error = await (async () => {
      try {
        while (await reader.next()) read++;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CodecError);
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(8);
  });
});
