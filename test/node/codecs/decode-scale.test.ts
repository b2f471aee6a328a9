/** The scale a decoder picks from the pipeline's hint: never fewer pixels than asked for, and room left for the resizer. */
import { describe, expect, it } from 'vitest';
import { webpDecodeSize } from '../../../src/codecs/libwebp';
import { chooseJpegScale, jpegDecodeMemory, JPEG_DECODE_BUDGET_BYTES, type JpegHeader } from '../../../src/codecs/turbo-jpeg';

describe('chooseJpegScale', () => {
  it('decodes at full size without a hint', () => {
    expect(chooseJpegScale(4000, 3000, {})).toBe(1);
  });

  it.each([
    // [width, height, minWidth, minHeight, denominator]: the largest n with shrink ≥ n + 1 (sharp's choice)
    [4000, 3000, 800, 600, 4], // shrink 5: 1000×750, the resizer does the last 1.25×
    [4000, 3000, 801, 600, 2], // shrink 4.99: 1/4 would leave only 1.249×
    [4000, 3000, 444, 333, 8], // shrink 9.0
    [4000, 3000, 500, 375, 4], // shrink 8: 1/8 would be exactly the output
    [4000, 3000, 1333, 1000, 2], // shrink 3.0
    [4000, 3000, 1334, 1000, 1], // shrink 2.999
    [2000, 1500, 800, 600, 1], // shrink 2.5 (the 3 MP benchmark photo)
    [4000, 3000, 4000, 3000, 1],
    [1000, 800, 800, 640, 1],
    [1000, 800, 333, 266, 2],
    [6000, 4000, 800, 533, 4], // 24 MP → 800 wide: shrink 7.5, 1500×1000
    [6000, 4000, 666, 444, 8], // shrink 9.0
    [227, 149, 25, 16, 8], // shrink 9.08 and 9.31
    [227, 149, 26, 16, 4], // shrink 8.73
    [100, 100, 1, 1, 8],
  ])('%i×%i for at least %i×%i → 1/%i', (width, height, minWidth, minHeight, denominator) => {
    expect(chooseJpegScale(width, height, { minWidth, minHeight })).toBe(denominator);
  });

  it('never gives fewer pixels than asked, and always leaves the resizer at least (n + 1)/n', () => {
    for (const [w, h] of [[4032, 3024], [3000, 4000], [1001, 999], [17, 9]] as const) {
      for (let minWidth = 1; minWidth <= w; minWidth += Math.ceil(w / 37)) {
        const minHeight = Math.ceil((minWidth * h) / w);
        const n = chooseJpegScale(w, h, { minWidth, minHeight });
        expect(Math.ceil(w / n)).toBeGreaterThanOrEqual(minWidth);
        expect(Math.ceil(h / n)).toBeGreaterThanOrEqual(minHeight);
        if (n > 1) {
          expect(w / minWidth).toBeGreaterThanOrEqual(n + 1);
          expect(h / minHeight).toBeGreaterThanOrEqual(n + 1);
        }
        if (n < 8) {
          const next = n * 2;
          expect(w / minWidth < next + 1 || h / minHeight < next + 1).toBe(true);
        }
      }
    }
  });

  it.each([
    // [width, height, minWidth, minHeight, denominator] with fewestPixels: the smallest output that covers
    [4000, 3000, 800, 600, 4], // 1000×750 ≥ 800×600; 1/8 would be 500×375
    [4000, 3000, 500, 375, 8], // exactly 1/8
    [4000, 3000, 501, 375, 4],
    [4000, 3000, 2000, 1500, 2],
    [4000, 3000, 2001, 1500, 1],
    [227, 149, 29, 19, 8], // ceil(227/8) = 29, ceil(149/8) = 19: libjpeg rounds up
    [227, 149, 30, 19, 4],
    [227, 149, 32, 32, 4], // the perceptual hash's 32×32
  ])('fewestPixels: %i×%i for at least %i×%i → 1/%i', (width, height, minWidth, minHeight, denominator) => {
    expect(chooseJpegScale(width, height, { minWidth, minHeight, fewestPixels: true })).toBe(denominator);
  });

  it('a hint on one side leaves the other free', () => {
    expect(chooseJpegScale(4000, 3000, { minWidth: 800 })).toBe(4);
    expect(chooseJpegScale(4000, 3000, { minHeight: 1400 })).toBe(1); // shrink 2.14
    expect(chooseJpegScale(4000, 3000, { minHeight: 1000 })).toBe(2); // shrink 3
  });
});

describe('jpegDecodeMemory', () => {
  const header = (width: number, height: number, coefficientBytes = 0): JpegHeader => ({
    width,
    height,
    components: 3,
    colorSpace: 3,
    progressive: coefficientBytes > 0,
    arithmetic: false,
    precision: 8,
    coefficientBytes,
  });

  it('counts the file, the coefficient buffer and the scaled pixels', () => {
    const MB = 1e6;
    expect(jpegDecodeMemory(header(4000, 3000), 4, 3 * MB)).toBe(3 * MB + 1000 * 750 * 4 + 2 * MB);
    // 12 MP 4:2:0 progressive: Y 500×375 blocks, Cb/Cr 250×188 (rounded up to the sampling factors), 128 B each
    const coefficients = (500 * 376 + 2 * 250 * 188) * 128;
    expect(jpegDecodeMemory(header(4000, 3000, coefficients), 4, 3 * MB)).toBeLessThan(JPEG_DECODE_BUDGET_BYTES);
  });

  it('puts a full-size 24 MP decode over the budget, and the same photo at 1/4 well under it', () => {
    expect(jpegDecodeMemory(header(6000, 4000), 1, 4e6)).toBeGreaterThan(JPEG_DECODE_BUDGET_BYTES);
    expect(jpegDecodeMemory(header(6000, 4000), 4, 4e6)).toBeLessThan(16e6);
  });
});

describe('webpDecodeSize', () => {
  it('decodes at full size without a hint', () => {
    expect(webpDecodeSize(4000, 3000, {})).toEqual({ width: 4000, height: 3000 });
  });

  it('shrinks by the largest of 2, 4, 8, 16, 32 that leaves the resizer (n + 1)/n, as JPEG does', () => {
    expect(webpDecodeSize(4000, 3000, { minWidth: 800, minHeight: 600 })).toEqual({ width: 1000, height: 750 }); // 5× → 4
    expect(webpDecodeSize(4000, 3000, { minWidth: 1000, minHeight: 750 })).toEqual({ width: 2000, height: 1500 }); // 4× → 2
    expect(webpDecodeSize(16000, 12000, { minWidth: 100, minHeight: 75 })).toEqual({ width: 500, height: 375 }); // 160× → 32
    expect(webpDecodeSize(4000, 3000, { minWidth: 2001, minHeight: 1500 })).toEqual({ width: 4000, height: 3000 });
    expect(webpDecodeSize(1001, 999, { minWidth: 100, minHeight: 100 })).toEqual({ width: 126, height: 125 });
  });

  it('decodes the 12 MP photo bound for 800 px at half size, not whole', () => {
    // The hint the pipeline gives for w-800 on 4243×2829: 1062×709.
    expect(webpDecodeSize(4243, 2829, { minWidth: 1062, minHeight: 709 })).toEqual({ width: 2122, height: 1415 });
  });
});
