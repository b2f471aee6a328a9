/**
 * APNG read frame by frame (src/codecs/animation/apng.ts): each frame's IDAT/fdAT data decoded by libspng, blended
 * onto the canvas (source or over) and disposed of (none, to background, to previous), with its delay and the
 * number of plays. The fixture's frames are known (scripts/make-animation-fixtures.mjs); frame 0 is also the
 * default image, which sharp reads independently.
 */
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerNodeWasmModules } from '../../../bench/wasm-modules';
import { apngAnimationDecoder } from '../../../src/codecs/animation/apng';
import type { AnimationFrame } from '../../../src/codecs/animation/types';
import { CodecError } from '../../../src/codecs/errors';
import { readFixture } from '../probe/helpers';

beforeAll(registerNodeWasmModules);

async function readAll(bytes: Uint8Array) {
  const reader = await apngAnimationDecoder.open(bytes);
  const frames: AnimationFrame[] = [];
  for (let f = await reader.next(); f; f = await reader.next()) frames.push(f);
  reader.close();
  return { reader, frames };
}

const at = (f: AnimationFrame, x: number, y: number) => Array.from(f.frame.data.subarray((y * 60 + x) * 4, (y * 60 + x) * 4 + 4));

describe('APNG reader', () => {
  it('blends and disposes each frame, with its delay and the plays', async () => {
    const bytes = readFixture('animationApng');
    const { reader, frames } = await readAll(bytes);
    expect([reader.width, reader.height, reader.loop]).toEqual([60, 40, 2]);
    expect(frames.map((f) => f.delay)).toEqual([50, 100, 300, 400]);
    const { data: photo } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const under = (x: number, y: number) => Array.from(photo.subarray((y * 60 + x) * 4, (y * 60 + x) * 4 + 4));
    // Frame 0 is the default image.
    expect(at(frames[0]!, 15, 15)).toEqual(under(15, 15));
    expect(at(frames[0]!, 35, 15)).toEqual(under(35, 15));
    // Frame 1: red at alpha 128 over the photo.
    const [r, g, b] = under(15, 15) as [number, number, number];
    const over = at(frames[1]!, 15, 15);
    expect(Math.abs(over[0]! - (255 * 128 + r * 127) / 255)).toBeLessThanOrEqual(1);
    expect(Math.abs(over[1]! - (g * 127) / 255)).toBeLessThanOrEqual(1);
    expect(Math.abs(over[2]! - (b * 127) / 255)).toBeLessThanOrEqual(1);
    expect(over[3]).toBe(255);
    // Frame 2: frame 1's region cleared to transparent, green replacing the photo at (30,10).
    expect(at(frames[2]!, 15, 15)[3]).toBe(0);
    expect(at(frames[2]!, 35, 15)).toEqual([0, 255, 0, 255]);
    // Frame 3: frame 2's region put back as before it, blue over the top-left corner.
    expect(at(frames[3]!, 35, 15)).toEqual(under(35, 15));
    expect(at(frames[3]!, 15, 15)[3]).toBe(0);
    expect(at(frames[3]!, 5, 5)).toEqual([0, 0, 255, 255]);
    expect(frames.map((f) => f.frame.hasAlpha)).toEqual([false, false, true, true]);
  });

  it('refuses a file cut short with a CodecError', async () => {
    const bytes = readFixture('animationApng');
    await expect(readAll(bytes.subarray(0, Math.floor(bytes.length * 0.7)))).rejects.toBeInstanceOf(CodecError);
  });
});
