/**
 * Animations through the steps and out (src/transform/apply-animation.ts) with the project's modules, read back
 * by sharp (libvips): frame count, per-frame delays and loop count kept, a chosen frame like sharp's own animated
 * resize, the first frame for still outputs, disposal as browsers show it, and truncated files refused.
 */
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerNodeWasmModules } from '../../../bench/wasm-modules';
import { gifAnimationDecoder } from '../../../src/codecs/animation/gif';
import { gifAnimationEncoder } from '../../../src/codecs/animation/gif-writer';
import type { AnimationDecoder, AnimationEncoder } from '../../../src/codecs/animation/types';
import { webpAnimationDecoder, webpAnimationEncoder } from '../../../src/codecs/animation/webp';
import { CodecError } from '../../../src/codecs/errors';
import type { Frame } from '../../../src/image/frame';
import { firstFrame, transformAnimation } from '../../../src/transform/apply-animation';
import { parseTransformation } from '../../../src/transform/parse';
import { structuralSimilarity } from '../../shared/similarity';
import { readFixture } from '../probe/helpers';

beforeAll(registerNodeWasmModules);

const decoders = { gif: gifAnimationDecoder, webp: webpAnimationDecoder };
const encoders = { gif: gifAnimationEncoder, webp: webpAnimationEncoder };

function transform(bytes: Uint8Array, decoder: AnimationDecoder, encoder: AnimationEncoder, tr: string, lossless = false) {
  return transformAnimation({ decoder, bytes, orientation: 1 }, encoder, parseTransformation(tr), { width: 120, height: 80 }, { quality: 80, lossless });
}

/** Frame `i` of an animation as sharp decodes it. */
async function sharpFrame(bytes: Uint8Array | Buffer, i: number): Promise<Frame> {
  const { data, info } = await sharp(bytes, { page: i }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8ClampedArray(data), hasAlpha: true };
}

describe.each([
  ['gif', 'animationGif'],
  ['webp', 'animationWebp'],
] as const)('%s animation in', (input, fixture) => {
  const bytes = readFixture(fixture);

  it.each(['gif', 'webp'] as const)('→ %s out at w-60: 8 frames, the delays and the loop count kept', async (output) => {
    const made = await transform(bytes, decoders[input], encoders[output], 'w-60');
    expect([made.width, made.height]).toEqual([60, 40]);
    const meta = await sharp(made.body, { animated: true }).metadata();
    const original = await sharp(bytes, { animated: true }).metadata();
    expect(meta.format).toBe(output);
    expect([meta.width, meta.pageHeight, meta.pages]).toEqual([60, 40, 8]);
    expect(meta.delay).toEqual([40, 60, 80, 100, 120, 140, 160, 180]);
    expect(meta.delay).toEqual(original.delay);
    expect(meta.loop).toBe(3);
  });

  it.each(['gif', 'webp'] as const)('→ %s: frame 5 looks like sharp\'s animated resize of it', async (output) => {
    const made = await transform(bytes, decoders[input], encoders[output], 'w-60');
    const reference = await sharp(bytes, { animated: true }).resize(60).webp({ lossless: true }).toBuffer();
    const ours = await sharpFrame(made.body, 5);
    const theirs = await sharpFrame(reference, 5);
    // The neighbouring frames differ clearly (the pan moves 12 px a frame): a wrong frame would not pass.
    const neighbour = await sharpFrame(reference, 4);
    const similarity = structuralSimilarity(theirs, ours);
    expect(similarity).toBeGreaterThan(output === 'gif' ? 0.8 : 0.9);
    expect(similarity).toBeGreaterThan(structuralSimilarity(neighbour, ours));
  });

  it('gives its first frame for a still output', async () => {
    const first = await firstFrame({ decoder: decoders[input], bytes, orientation: 1 });
    expect([first.width, first.height]).toEqual([120, 80]);
    const reference = await sharpFrame(bytes, 0);
    expect(structuralSimilarity(reference, first)).toBeGreaterThan(0.97);
    expect(structuralSimilarity(await sharpFrame(bytes, 1), first)).toBeLessThan(0.9);
  });

  it('refuses a file cut short with a CodecError', async () => {
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.6));
    await expect(transform(cut, decoders[input], encoders.webp, 'w-60')).rejects.toBeInstanceOf(CodecError);
  });
});

describe('disposal', () => {
  it('shows frames disposed to background and to previous as browsers do, in lossless WebP out', async () => {
    const made = await transform(readFixture('animationDisposal'), gifAnimationDecoder, webpAnimationEncoder, 'w-16', true);
    const meta = await sharp(made.body, { animated: true }).metadata();
    expect([meta.pages, meta.delay, meta.loop]).toEqual([4, [100, 200, 300, 400], 0]);
    const at = (f: Frame, x: number, y: number) => Array.from(f.data.subarray((y * 16 + x) * 4, (y * 16 + x) * 4 + 4));
    const frames = await Promise.all([0, 1, 2, 3].map((i) => sharpFrame(made.body, i)));
    expect(at(frames[1]!, 2, 2)).toEqual([0, 255, 0, 255]);
    expect(at(frames[2]!, 2, 2)[3]).toBe(0);
    expect(at(frames[2]!, 12, 12)).toEqual([0, 0, 255, 255]);
    expect(at(frames[3]!, 12, 12)).toEqual([255, 0, 0, 255]);
    expect(at(frames[3]!, 8, 0)).toEqual([255, 0, 0, 255]);
    expect(at(frames[3]!, 9, 0)).toEqual([0, 0, 0, 255]);
  });

  it('keeps transparency in GIF out, each frame cleared before the next', async () => {
    const made = await transform(readFixture('animationDisposal'), gifAnimationDecoder, gifAnimationEncoder, 'w-16');
    // Read back as browsers show it (libnsgif fills cleared areas with the background colour instead; the reader
    // matches libnsgif elsewhere, animation-gif.test.ts).
    const reader = await gifAnimationDecoder.open(made.body);
    const frames: Frame[] = [];
    for (let f = await reader.next(); f; f = await reader.next()) frames.push(f.frame);
    const at = (f: Frame, x: number, y: number) => Array.from(f.data.subarray((y * 16 + x) * 4, (y * 16 + x) * 4 + 4));
    expect(frames).toHaveLength(4);
    expect(at(frames[1]!, 2, 2)).toEqual([0, 255, 0, 255]);
    expect(at(frames[2]!, 2, 2)[3]).toBe(0);
    expect(at(frames[2]!, 12, 12)).toEqual([0, 0, 255, 255]);
    expect(at(frames[3]!, 8, 0)).toEqual([255, 0, 0, 255]);
    expect(at(frames[3]!, 9, 0)).toEqual([0, 0, 0, 255]);
  });
});
