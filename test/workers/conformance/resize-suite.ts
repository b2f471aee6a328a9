/**
 * One conformance suite for every resizer (like codec-suite.ts): the same assertions run against each
 * implementation of `resizeFrame(frame, width, height)`, whichever library is behind it.
 */
import { describe, expect, it } from 'vitest';
import { probe } from '../../../src/codecs/probe';
import { decoderFor } from '../../../src/codecs/registry';
import type { Frame } from '../../../src/image/frame';
import { fixtures } from '../../fixtures/registry';
import { meanAbsoluteDifference } from '../../shared/similarity';
import { fixtureBytes } from '../helpers';

export interface ResizerUnderTest {
  name: string;
  resize(frame: Frame, width: number, height: number): Promise<Frame>;
}

/** A frame filled by `pixel(x, y)` → [r, g, b, a]. */
export function paint(width: number, height: number, hasAlpha: boolean, pixel: (x: number, y: number) => number[]): Frame {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 4);
  }
  return { width, height, data, hasAlpha };
}

/** Smooth gradients and a hard-edged square, opaque. */
export const card = (width: number, height: number) =>
  paint(width, height, false, (x, y) => {
    const square = x >= width / 3 && x < (2 * width) / 3 && y >= height / 3 && y < (2 * height) / 3;
    return square ? [20, 40, 220, 255] : [(x * 255) / Math.max(1, width - 1), (y * 255) / Math.max(1, height - 1), 128, 255];
  });

/** The photo fixture (1000×800), decoded with the Worker's own JPEG decoder. */
export async function photo(): Promise<Frame> {
  const bytes = await fixtureBytes(fixtures.photo1000x800.path);
  return decoderFor('jpeg')!.decode(bytes, probe(bytes), {});
}

/** Averages factor×factor blocks (the frame's sides must be multiples of factor): the ideal exact reduction. */
export function boxAverage(frame: Frame, factor: number): Frame {
  const width = frame.width / factor;
  const height = frame.height / factor;
  return paint(width, height, frame.hasAlpha, (x, y) => {
    const sum = [0, 0, 0, 0];
    for (let dy = 0; dy < factor; dy++) {
      for (let dx = 0; dx < factor; dx++) {
        const i = ((y * factor + dy) * frame.width + x * factor + dx) * 4;
        for (let c = 0; c < 4; c++) sum[c]! += frame.data[i + c]!;
      }
    }
    return sum.map((s) => Math.round(s / (factor * factor)));
  });
}

const channel = (f: Frame, c: number) => Array.from({ length: f.width * f.height }, (_, i) => f.data[i * 4 + c]!);

export function describeResizeConformance(resizer: ResizerUnderTest): void {
  describe(`resize conformance: ${resizer.name}`, () => {
    const { resize } = resizer;

    it('gives exactly the requested dimensions, up and down, odd, one pixel and extreme aspect ratios', async () => {
      const cases: [number, number, number, number][] = [
        [96, 64, 48, 32],
        [96, 64, 250, 170],
        [101, 77, 33, 19],
        [33, 19, 101, 77],
        [96, 64, 1, 1],
        [1, 1, 7, 5],
        [96, 64, 96, 1],
        [96, 64, 1, 64],
        [1000, 3, 17, 1],
        [3, 1000, 1, 17],
        [640, 8, 6, 300],
        [97, 1, 3, 1],
        [1, 97, 1, 300],
        [200, 150, 200, 75],
        [200, 150, 61, 150],
      ];
      for (const [w, h, width, height] of cases) {
        for (const hasAlpha of [false, true]) {
          const input = paint(w, h, hasAlpha, (x, y) => [x & 255, y & 255, 90, hasAlpha ? 200 : 255]);
          const out = await resize(input, width, height);
          const label = `${w}×${h} → ${width}×${height}${hasAlpha ? ' alpha' : ''}`;
          expect([out.width, out.height, out.data.length, out.hasAlpha], label).toEqual([width, height, width * height * 4, hasAlpha]);
        }
      }
    });

    it('keeps a flat colour flat', async () => {
      for (const [width, height] of [[37, 23], [300, 200], [8, 8]]) {
        const opaque = await resize(paint(120, 90, false, () => [200, 100, 50, 255]), width!, height!);
        expect(new Set(channel(opaque, 0)), 'red').toEqual(new Set([200]));
        expect(new Set(channel(opaque, 1)), 'green').toEqual(new Set([100]));
        expect(new Set(channel(opaque, 2)), 'blue').toEqual(new Set([50]));
        const translucent = await resize(paint(120, 90, true, () => [200, 100, 50, 128]), width!, height!);
        for (const [c, value] of [[0, 200], [1, 100], [2, 50], [3, 128]]) {
          const values = channel(translucent, c!);
          expect(Math.min(...values) >= value! - 1 && Math.max(...values) <= value! + 1, `channel ${c}`).toBe(true);
        }
      }
    });

    it('keeps opaque images at alpha 255', async () => {
      for (const [width, height] of [[40, 27], [400, 270], [13, 300]]) {
        const out = await resize(card(120, 81), width!, height!);
        expect(new Set(channel(out, 3))).toEqual(new Set([255]));
      }
    });

    it('does not bleed the colour of transparent pixels into visible ones', async () => {
      // Left half: transparent red. Right half: opaque green. Premultiplied resampling gives every visible
      // pixel pure green, including the half-transparent ones along the edge.
      const input = paint(120, 80, true, (x) => (x < 60 ? [255, 0, 0, 0] : [0, 255, 0, 255]));
      for (const [width, height] of [[48, 32], [300, 200], [17, 80]]) {
        const out = await resize(input, width!, height!);
        let visible = 0;
        for (let i = 0; i < out.data.length; i += 4) {
          if (out.data[i + 3]! < 8) continue;
          visible++;
          expect(out.data[i]!, `red at pixel ${i / 4} (alpha ${out.data[i + 3]})`).toBeLessThanOrEqual(3);
          expect(out.data[i + 1]!, `green at pixel ${i / 4}`).toBeGreaterThanOrEqual(250);
        }
        expect(visible).toBeGreaterThan(out.width * out.height * 0.4);
        // and far from the edge the transparent side stays transparent
        expect(out.data[3]).toBe(0);
      }
    });

    it('is close to a box average for exact 2× and 4× reductions', async () => {
      const input = await photo();
      for (const factor of [2, 4]) {
        const out = await resize(input, input.width / factor, input.height / factor);
        expect(meanAbsoluteDifference(boxAverage(input, factor), out), `${factor}×`).toBeLessThan(2.5);
      }
      const smooth = card(240, 160);
      for (const factor of [2, 4]) {
        const out = await resize(smooth, smooth.width / factor, smooth.height / factor);
        expect(meanAbsoluteDifference(boxAverage(smooth, factor), out), `card ${factor}×`).toBeLessThan(2.5);
      }
    });

    it('does not shift the picture', async () => {
      // A symmetric image stays symmetric (pixel centres aligned, edges handled the same on both sides).
      const input = paint(90, 60, false, (x, y) => (Math.abs(x - 44.5) < 10 && Math.abs(y - 29.5) < 6 ? [255, 255, 255, 255] : [0, 0, 0, 255]));
      for (const [width, height] of [[30, 20], [37, 23], [200, 130]]) {
        const out = await resize(input, width!, height!);
        for (let y = 0; y < height!; y++) {
          for (let x = 0; x < width!; x++) {
            const a = out.data[(y * width! + x) * 4]!;
            const mirrored = out.data[((height! - 1 - y) * width! + (width! - 1 - x)) * 4]!;
            expect(Math.abs(a - mirrored), `${width}×${height} at ${x},${y}`).toBeLessThanOrEqual(1);
          }
        }
      }
    });

    it('leaves the input frame untouched', async () => {
      const input = card(64, 48);
      const before = input.data.slice();
      await resize(input, 20, 15);
      await resize(input, 130, 90);
      expect(input.data).toEqual(before);
    });
  });
}
