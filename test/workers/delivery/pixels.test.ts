/**
 * Pixels, not just sizes: each result is compared with a reference computed here from the decoded original
 * (lossless PNG output, so differences come only from the operation under test).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from '../../../src/image/frame';
import { fixtures } from '../../fixtures/registry';
import { meanAbsoluteDifference, structuralSimilarity } from '../../shared/similarity';
import { decodeImage, decodeResponse, fixtureBytes, get, newTenant, putOriginal } from '../helpers';

let tenant: string;
let original: Frame;

beforeAll(async () => {
  tenant = await newTenant();
  const bytes = await fixtureBytes(fixtures.photo1000x800.path);
  await putOriginal(tenant, 'p.jpg', bytes);
  await putOriginal(tenant, 'alpha.png', await fixtureBytes(fixtures.pngAlphaGradient.path), 'image/png');
  original = await decodeImage(bytes);
});

const render = async (tr: string, file = 'p.jpg') => decodeResponse(await get(`/${tenant}/tr:${tr}/${file}`));
const px = (f: Frame, x: number, y: number) => [...f.data.subarray((y * f.width + x) * 4, (y * f.width + x) * 4 + 4)];

function boxHalf(f: Frame): Frame {
  const width = f.width >> 1;
  const height = f.height >> 1;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 4; c++) {
        const at = (yy: number, xx: number) => f.data[(yy * f.width + xx) * 4 + c]!;
        data[(y * width + x) * 4 + c] = (at(2 * y, 2 * x) + at(2 * y, 2 * x + 1) + at(2 * y + 1, 2 * x) + at(2 * y + 1, 2 * x + 1)) / 4;
      }
  return { width, height, data, hasAlpha: f.hasAlpha };
}

function mapPixels(f: Frame, width: number, height: number, source: (x: number, y: number) => [number, number]): Frame {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [sx, sy] = source(x, y);
      data.set(f.data.subarray((sy * f.width + sx) * 4, (sy * f.width + sx) * 4 + 4), (y * width + x) * 4);
    }
  return { width, height, data, hasAlpha: f.hasAlpha };
}

describe('geometry keeps the picture', () => {
  it('w-500 matches a 2×2 box downscale of the original', async () => {
    const out = await render('w-500,f-png');
    const reference = boxHalf(original);
    expect(structuralSimilarity(reference, out)).toBeGreaterThan(0.9);
    expect(meanAbsoluteDifference(reference, out)).toBeLessThan(4);
  });

  it('cm-extract copies exactly the requested region', async () => {
    const out = await render('w-120,h-90,cm-extract,x-300,y-200,f-png');
    const reference = mapPixels(original, 120, 90, (x, y) => [x + 300, y + 200]);
    expect(meanAbsoluteDifference(reference, out)).toBe(0);
  });

  it('rt-90 turns the picture clockwise, exactly', async () => {
    const out = await render('rt-90,f-png');
    const reference = mapPixels(original, 800, 1000, (x, y) => [y, 799 - x]);
    expect(meanAbsoluteDifference(reference, out)).toBe(0);
  });

  it('fl-h mirrors, fl-v flips', async () => {
    expect(meanAbsoluteDifference(mapPixels(original, 1000, 800, (x, y) => [999 - x, y]), await render('fl-h,f-png'))).toBe(0);
    expect(meanAbsoluteDifference(mapPixels(original, 1000, 800, (x, y) => [x, 799 - y]), await render('fl-v,f-png'))).toBe(0);
  });

  it('c-maintain_ratio crops the excess around the focus', async () => {
    const centre = await render('w-400,h-400,f-png');
    const left = await render('w-400,h-400,fo-left,f-png');
    // The square covers 1000×800 at 0.5: the source crop is 800×800, centred (x 100) or at the left (x 0).
    const scaled = boxHalf(original);
    expect(meanAbsoluteDifference(mapPixels(scaled, 400, 400, (x, y) => [x + 50, y]), centre)).toBeLessThan(4);
    expect(meanAbsoluteDifference(mapPixels(scaled, 400, 400, (x, y) => [x, y]), left)).toBeLessThan(4);
  });
});

describe('padding and backgrounds', () => {
  it('cm-pad_resize pads evenly with bg', async () => {
    const out = await render('w-400,h-400,cm-pad_resize,bg-FF0000,f-png');
    expect(px(out, 200, 10)).toEqual([255, 0, 0, 255]);
    expect(px(out, 200, 390)).toEqual([255, 0, 0, 255]);
    expect(px(out, 200, 200)).not.toEqual([255, 0, 0, 255]);
  });

  it('fo-top puts all the padding below', async () => {
    const out = await render('w-400,h-400,cm-pad_resize,fo-top,bg-0000FF,f-png');
    expect(px(out, 200, 395)).toEqual([0, 0, 255, 255]);
    expect(px(out, 200, 340)).toEqual([0, 0, 255, 255]);
    expect(px(out, 200, 5)).not.toEqual([0, 0, 255, 255]);
  });

  it('bg-blurred pads with a blurred copy of the image, not a flat colour', async () => {
    const out = await render('w-300,h-600,cm-pad_resize,bg-blurred,f-png');
    const band = [px(out, 20, 20), px(out, 150, 20), px(out, 280, 60)];
    expect(new Set(band.map((p) => p.join())).size).toBeGreaterThan(1);
  });

  it('bg flattens transparency when the output has no alpha', async () => {
    const out = await render('bg-00FF00,f-jpg', 'alpha.png');
    // alpha-gradient.png is transparent at the left edge
    const [r, g, b] = px(out, 0, 24);
    expect(g).toBeGreaterThan(230);
    expect(r! + b!).toBeLessThan(40);
  });

  it('alpha survives into WebP, AVIF and PNG', async () => {
    for (const f of ['webp', 'avif', 'png']) {
      const out = await render(`f-${f}`, 'alpha.png');
      expect(px(out, 0, 24)[3], f).toBeLessThan(20);
      expect(px(out, 63, 24)[3], f).toBeGreaterThan(235);
    }
  });

  it('r-max makes a transparent-cornered ellipse in PNG and a white-cornered one in JPEG', async () => {
    const png = await render('w-200,h-200,r-max,f-png');
    expect(px(png, 0, 0)[3]).toBe(0);
    expect(px(png, 100, 100)[3]).toBe(255);
    const jpg = await render('w-200,h-200,r-max,f-jpg');
    expect(px(jpg, 1, 1).slice(0, 3).every((v) => v > 240)).toBe(true);
  });

  it('b-10_FF0000 frames the image in red', async () => {
    const out = await render('w-100,b-10_FF0000,f-png');
    expect([out.width, out.height]).toEqual([120, 100]);
    expect(px(out, 3, 50)).toEqual([255, 0, 0, 255]);
    expect(px(out, 60, 97)).toEqual([255, 0, 0, 255]);
  });
});

describe('effects', () => {
  it('e-grayscale gives equal channels', async () => {
    const out = await render('w-200,e-grayscale,f-png');
    for (let i = 0; i < out.data.length; i += 4 * 97) {
      expect(out.data[i]).toBe(out.data[i + 1]);
      expect(out.data[i + 1]).toBe(out.data[i + 2]);
    }
  });

  it('bl lowers detail in proportion to its radius', async () => {
    const detail = (f: Frame) => {
      let sum = 0;
      for (let y = 0; y < f.height; y++)
        for (let x = 1; x < f.width; x++) sum += Math.abs(f.data[(y * f.width + x) * 4]! - f.data[(y * f.width + x - 1) * 4]!);
      return sum;
    };
    const sharp = detail(await render('w-300,f-png'));
    const soft = detail(await render('w-300,bl-4,f-png'));
    const softer = detail(await render('w-300,bl-20,f-png'));
    expect(soft).toBeLessThan(sharp * 0.8);
    expect(softer).toBeLessThan(soft * 0.8);
  });

  it('e-sharpen and e-usm raise local contrast', async () => {
    const base = await render('w-300,f-png');
    for (const tr of ['e-sharpen', 'e-sharpen-50', 'e-usm-2-2-1.5-0']) {
      const out = await render(`w-300,${tr},f-png`);
      expect(meanAbsoluteDifference(base, out), tr).toBeGreaterThan(0.5);
      expect(structuralSimilarity(base, out), tr).toBeGreaterThan(0.7);
    }
  });

  it('e-contrast stretches the histogram', async () => {
    const spread = (f: Frame) => {
      let min = 255;
      let max = 0;
      for (let i = 0; i < f.data.length; i += 4) {
        const l = f.data[i + 1]!;
        if (l < min) min = l;
        if (l > max) max = l;
      }
      return max - min;
    };
    const flat = await render('w-200,bg-80808050,f-png:e-grayscale,bl-30,f-png');
    const stretched = await render('w-200,bg-80808050,f-png:e-grayscale,bl-30:e-contrast,f-png');
    expect(spread(stretched)).toBeGreaterThan(spread(flat));
  });
});
