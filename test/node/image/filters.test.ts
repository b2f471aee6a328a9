import { describe, expect, it } from 'vitest';
import { blur, blurPlane, blurSigmaFromRadius } from '../../../src/image/blur';
import { contrastStretch } from '../../../src/image/contrast';
import { grayscale } from '../../../src/image/grayscale';
import { sharpen, unsharpMask } from '../../../src/image/sharpen';
import { channelStats, frameOf, noise, pixelAt, solid } from './synthetic';

/** A vertical edge: dark left half, light right half. */
const edge = (w = 20, h = 4) => frameOf(w, h, (x) => (x < w / 2 ? [64, 64, 64, 255] : [192, 192, 192, 255]));

describe('blur', () => {
  it('maps ImageKit bl-N to sigma N/2', () => {
    expect(blurSigmaFromRadius(10)).toBe(5);
    expect(blurSigmaFromRadius(1)).toBe(0.5);
  });

  it('reduces variance and keeps the mean, in place', () => {
    const frame = noise(64, 48, 7);
    const before = channelStats(frame, 1);
    expect(blur(frame, 2)).toBe(frame);
    const after = channelStats(frame, 1);
    expect(after.variance).toBeLessThan(before.variance / 10);
    expect(Math.abs(after.mean - before.mean)).toBeLessThan(1.5);
  });

  it('keeps a flat image flat, alpha included', () => {
    const frame = solid(30, 20, { r: 10, g: 120, b: 240, a: 255 });
    blur(frame, 7.5);
    for (const [x, y] of [[0, 0], [15, 10], [29, 19]] as const) expect(pixelAt(frame, x, y)).toEqual([10, 120, 240, 255]);
  });

  it('blurs more with a larger sigma, even a small one', () => {
    const spread = (sigma: number): number => channelStats(blur(noise(40, 40, 3), sigma), 0).variance;
    const none = channelStats(noise(40, 40, 3), 0).variance;
    expect(spread(0.5)).toBeLessThan(none * 0.8);
    expect(spread(1)).toBeLessThan(spread(0.5));
    expect(spread(3)).toBeLessThan(spread(1));
  });

  it('does not bleed colour out of transparent pixels', () => {
    // Opaque white on the left, transparent *black* on the right: visible pixels must stay white.
    const frame = frameOf(20, 4, (x) => (x < 10 ? [255, 255, 255, 255] : [0, 0, 0, 0]), true);
    blur(frame, 2);
    for (let x = 0; x < 20; x++) {
      const [r, g, b, a] = pixelAt(frame, x, 1);
      if (a > 0) expect([r, g, b]).toEqual([255, 255, 255]);
    }
    expect(pixelAt(frame, 10, 1)[3]).toBeGreaterThan(0);
    expect(pixelAt(frame, 9, 1)[3]).toBeLessThan(255);
  });

  it.each([0.7, 1.5, 3, 8])('has the variance of a Gaussian with sigma %f', (sigma) => {
    // A 16-bit plane keeps the impulse response precise enough to measure its second moment.
    const n = 301, centre = 150;
    const line = new Uint16Array(n);
    line[centre] = 60000;
    blurPlane(line, n, 1, 1, 1, sigma, false);
    let total = 0, moment = 0;
    line.forEach((v, i) => { total += v; moment += v * (i - centre) ** 2; });
    expect(total).toBeGreaterThan(59900);
    expect(Math.sqrt(moment / total)).toBeCloseTo(sigma, 1);
  });

  it('spreads a single dot symmetrically', () => {
    const frame = frameOf(21, 21, (x, y) => (x === 10 && y === 10 ? [255, 255, 255, 255] : [0, 0, 0, 255]));
    blur(frame, 1.5);
    expect(pixelAt(frame, 8, 10)).toEqual(pixelAt(frame, 12, 10));
    expect(pixelAt(frame, 10, 8)).toEqual(pixelAt(frame, 10, 12));
    expect(pixelAt(frame, 8, 10)).toEqual(pixelAt(frame, 10, 8));
    expect(pixelAt(frame, 10, 10)[0]).toBeGreaterThan(pixelAt(frame, 11, 10)[0]);
  });
});

describe('sharpen', () => {
  it('increases contrast across an edge and leaves flat areas alone', () => {
    const frame = edge();
    unsharpMask(frame, { sigma: 1, amount: 1, threshold: 0 });
    expect(pixelAt(frame, 9, 1)[0]).toBeLessThan(64);
    expect(pixelAt(frame, 10, 1)[0]).toBeGreaterThan(192);
    expect(pixelAt(frame, 0, 1)[0]).toBe(64);
    expect(pixelAt(frame, 19, 1)[0]).toBe(192);
    expect(pixelAt(frame, 9, 1)[3]).toBe(255);
  });

  it('sharpens more at a higher level', () => {
    const dip = (level: number): number => 64 - pixelAt(sharpen(edge(), level), 9, 1)[0];
    expect(dip(5)).toBeGreaterThan(0);
    expect(dip(20)).toBeGreaterThan(dip(5));
    expect(64 - pixelAt(sharpen(edge()), 9, 1)[0]).toBe(dip(5));
  });

  it('skips details below the threshold', () => {
    const frame = edge();
    unsharpMask(frame, { sigma: 1, amount: 1, threshold: 0.9 });
    expect(pixelAt(frame, 9, 1)[0]).toBe(64);
  });

  it('never touches alpha and ignores transparent neighbours', () => {
    const frame = frameOf(20, 4, (x) => (x < 10 ? [200, 200, 200, 128] : [0, 0, 0, 0]), true);
    sharpen(frame, 30);
    for (let x = 0; x < 20; x++) {
      const [r, , , a] = pixelAt(frame, x, 2);
      expect(a).toBe(x < 10 ? 128 : 0);
      if (x < 10) expect(r).toBe(200);
    }
  });
});

describe('grayscale', () => {
  it('sets R = G = B to the Rec. 709 luma and keeps alpha', () => {
    const frame = frameOf(2, 1, (x) => (x === 0 ? [255, 0, 0, 100] : [10, 200, 30, 255]), true);
    expect(grayscale(frame)).toBe(frame);
    expect(pixelAt(frame, 0, 0)).toEqual([54, 54, 54, 100]);
    const y = Math.round(0.2126 * 10 + 0.7152 * 200 + 0.0722 * 30);
    expect(pixelAt(frame, 1, 0)).toEqual([y, y, y, 255]);
  });
});

describe('contrastStretch', () => {
  it('widens a narrow histogram to nearly the full range', () => {
    const frame = noise(64, 64, 11, 100, 140);
    grayscale(frame);
    contrastStretch(frame);
    let min = 255, max = 0;
    for (let i = 0; i < frame.data.length; i += 4) {
      min = Math.min(min, frame.data[i]!);
      max = Math.max(max, frame.data[i]!);
    }
    expect(min).toBeLessThanOrEqual(5);
    expect(max).toBeGreaterThanOrEqual(250);
  });

  it('applies one map to all channels, so hues keep their channel order', () => {
    const frame = frameOf(10, 10, (x) => [100 + x * 4, 90 + x * 4, 80 + x * 4, 255]);
    contrastStretch(frame);
    for (let x = 0; x < 10; x++) {
      const [r, g, b] = pixelAt(frame, x, 5);
      expect(r).toBeGreaterThanOrEqual(g);
      expect(g).toBeGreaterThanOrEqual(b);
    }
    expect(pixelAt(frame, 9, 5)[0]).toBe(255);
  });

  it('leaves a flat image alone', () => {
    const frame = solid(8, 8, { r: 90, g: 90, b: 90, a: 255 });
    contrastStretch(frame);
    expect(pixelAt(frame, 3, 3)).toEqual([90, 90, 90, 255]);
  });
});
