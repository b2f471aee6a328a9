/**
 * planStep beyond geometry (rotation, flip, effects, border, radius, background, in their fixed order),
 * rotatedSize, and plannedSizes through a chain.
 */
import { describe, expect, it } from 'vitest';
import { blurSigmaFromRadius } from '../../../src/image/blur';
import { parseTransformation } from '../../../src/transform/parse';
import { planStep, plannedSizes, rotatedSize } from '../../../src/transform/plan';
import { expectBadParam } from './expect-errors';

const RED = { r: 255, g: 0, b: 0, a: 255 };
const BLUE = { r: 0, g: 0, b: 255, a: 255 };
const TRANSPARENT = { r: 0, g: 0, b: 0, a: 0 };

function plan(text: string, width: number, height: number) {
  const steps = parseTransformation(text).steps;
  return planStep({ width, height }, steps[0] ?? {}, { width, height });
}
const opNames = (text: string, width = 800, height = 800) => plan(text, width, height).ops.map((op) => op.op);

describe('rotatedSize', () => {
  it('keeps the size for multiples of 180 and swaps it for odd multiples of 90', () => {
    expect(rotatedSize(800, 600, 0)).toEqual({ width: 800, height: 600 });
    expect(rotatedSize(800, 600, 180)).toEqual({ width: 800, height: 600 });
    expect(rotatedSize(800, 600, 90)).toEqual({ width: 600, height: 800 });
    expect(rotatedSize(800, 600, 270)).toEqual({ width: 600, height: 800 });
  });

  it('gives the bounding box for other angles, rounded up', () => {
    expect(rotatedSize(100, 100, 45)).toEqual({ width: 142, height: 142 });
    expect(rotatedSize(800, 600, 45)).toEqual({ width: 990, height: 990 });
    // 30°: w·cos + h·sin = 692.8 + 300, w·sin + h·cos = 400 + 519.6
    expect(rotatedSize(800, 600, 30)).toEqual({ width: 993, height: 920 });
    expect(rotatedSize(800, 600, 330)).toEqual({ width: 993, height: 920 });
  });
});

describe('rotation in a step', () => {
  it('rotates with a transparent fill and swaps the size for rt-90', () => {
    expect(plan('rt-90', 800, 600)).toEqual({
      ops: [{ op: 'rotate', degrees: 90, fill: TRANSPARENT }],
      size: { width: 600, height: 800 },
    });
  });

  it('rt-N90 rotates 270 clockwise', () => {
    expect(plan('rt-N90', 800, 600).ops).toEqual([{ op: 'rotate', degrees: 270, fill: TRANSPARENT }]);
  });

  it('grows the canvas for rt-45', () => {
    expect(plan('rt-45', 100, 100).size).toEqual({ width: 142, height: 142 });
  });

  it('fills the corners with a bg colour, and flattens with it afterwards', () => {
    expect(plan('rt-45,bg-red', 100, 100).ops).toEqual([
      { op: 'rotate', degrees: 45, fill: RED },
      { op: 'background', color: RED },
    ]);
  });

  it('keeps a transparent fill when bg is blurred', () => {
    expect(plan('rt-45,bg-blurred', 100, 100).ops).toEqual([{ op: 'rotate', degrees: 45, fill: TRANSPARENT }]);
  });

  it('does nothing for rt-0, rt-360 and rt-auto (EXIF is always applied before planning)', () => {
    for (const text of ['rt-0', 'rt-360', 'rt-N360', 'rt-auto']) {
      expect(plan(text, 800, 600)).toEqual({ ops: [], size: { width: 800, height: 600 } });
    }
  });

  it('rotates after resizing', () => {
    expect(plan('w-400,rt-90', 800, 600)).toEqual({
      ops: [
        { op: 'resize', width: 400, height: 300 },
        { op: 'rotate', degrees: 90, fill: TRANSPARENT },
      ],
      size: { width: 300, height: 400 },
    });
  });
});

describe('flip and effects', () => {
  it('plans flips', () => {
    expect(plan('fl-h', 10, 10).ops).toEqual([{ op: 'flip', horizontal: true, vertical: false }]);
    expect(plan('fl-v', 10, 10).ops).toEqual([{ op: 'flip', horizontal: false, vertical: true }]);
    expect(plan('fl-v_h', 10, 10).ops).toEqual([{ op: 'flip', horizontal: true, vertical: true }]);
  });

  it('turns bl into a Gaussian sigma', () => {
    expect(plan('bl-10', 10, 10).ops).toEqual([{ op: 'blur', sigma: blurSigmaFromRadius(10) }]);
    expect(blurSigmaFromRadius(10)).toBe(5);
  });

  it('plans sharpen with and without a level, usm, grayscale and contrast', () => {
    expect(plan('e-sharpen', 10, 10).ops).toEqual([{ op: 'sharpen' }]);
    expect(plan('e-sharpen-20', 10, 10).ops).toEqual([{ op: 'sharpen', level: 20 }]);
    expect(plan('e-usm-2-2-0.8-0.024', 10, 10).ops).toEqual([
      { op: 'usm', usm: { radius: 2, sigma: 2, amount: 0.8, threshold: 0.024 } },
    ]);
    expect(plan('e-grayscale', 10, 10).ops).toEqual([{ op: 'grayscale' }]);
    expect(plan('e-contrast', 10, 10).ops).toEqual([{ op: 'contrast' }]);
  });

  it('leaves the size alone', () => {
    expect(plan('fl-h,bl-5,e-sharpen,e-usm-2-2-0.8-0.024,e-grayscale,e-contrast,r-10', 123, 45).size).toEqual({
      width: 123,
      height: 45,
    });
  });
});

describe('border', () => {
  it('grows both dimensions by twice its width', () => {
    expect(plan('w-100,h-100,b-5_red', 200, 200)).toEqual({
      ops: [
        { op: 'resize', width: 100, height: 100 },
        { op: 'border', width: 5, color: RED },
      ],
      size: { width: 110, height: 110 },
    });
  });

  it('resolves an expression width against the size before the border', () => {
    expect(plan('w-400,b-cw_div_100_blue', 800, 600)).toEqual({
      ops: [
        { op: 'resize', width: 400, height: 300 },
        { op: 'border', width: 4, color: BLUE },
      ],
      size: { width: 408, height: 308 },
    });
    expect(plan('rt-90,b-cw_div_100_blue', 800, 600).size).toEqual({ width: 612, height: 812 });
    expect(plan('b-iw_div_100_red', 800, 600).size).toEqual({ width: 816, height: 616 });
  });

  it('is a 400 when an expression gives a width outside 1–500', () => {
    expectBadParam(() => plan('b-iw_div_1000_red', 400, 400), 'b');
    expectBadParam(() => plan('b-iw_add_1_red', 800, 600), 'b');
    expectBadParam(() => plan('b-iw_div_0_red', 800, 600), 'b');
  });
});

describe('radius and background', () => {
  it('plans corners as given', () => {
    expect(plan('r-20', 100, 100).ops).toEqual([{ op: 'radius', radius: { tl: 20, tr: 20, br: 20, bl: 20 } }]);
    expect(plan('r-max', 100, 100).ops).toEqual([{ op: 'radius', radius: 'max' }]);
  });

  it('flattens transparent areas onto a bg colour last', () => {
    expect(plan('r-20,bg-blue', 100, 100).ops).toEqual([
      { op: 'radius', radius: { tl: 20, tr: 20, br: 20, bl: 20 } },
      { op: 'background', color: BLUE },
    ]);
    expect(plan('bg-blue', 100, 100).ops).toEqual([{ op: 'background', color: BLUE }]);
  });

  it('does not plan a background op for a blurred bg', () => {
    expect(plan('bg-blurred', 100, 100).ops).toEqual([]);
  });
});

describe('operation order', () => {
  const EFFECTS = 'fl-h,bl-10,e-sharpen,e-usm-2-2-0.8-0.024,e-grayscale,e-contrast,b-5_red,r-10,bg-blue,rt-90';

  it('is extract → resize → rotate → flip → effects → border → radius → background, whatever the token order', () => {
    expect(opNames(`${EFFECTS},h-300,w-400`)).toEqual([
      'extract',
      'resize',
      'rotate',
      'flip',
      'blur',
      'sharpen',
      'usm',
      'grayscale',
      'contrast',
      'border',
      'radius',
      'background',
    ]);
  });

  it('puts pad after resize and before rotation', () => {
    expect(opNames(`${EFFECTS},cm-pad_resize,h-300,w-400`)).toEqual([
      'resize',
      'pad',
      'rotate',
      'flip',
      'blur',
      'sharpen',
      'usm',
      'grayscale',
      'contrast',
      'border',
      'radius',
      'background',
    ]);
  });

  it('puts pad after extract for cm-pad_extract', () => {
    expect(opNames('r-10,rt-90,cm-pad_extract,w-1000,h-500', 800, 600)).toEqual(['extract', 'pad', 'rotate', 'radius']);
  });

  it('gives the final size after rotation and border', () => {
    expect(plan(`${EFFECTS},h-300,w-400`, 800, 800).size).toEqual({ width: 310, height: 410 });
  });
});

describe('plannedSizes', () => {
  it('returns the size after each step; the last is the output', () => {
    const t = parseTransformation('w-400:rt-90:b-10_red');
    expect(plannedSizes(t, { width: 800, height: 600 })).toEqual([
      { width: 400, height: 300 },
      { width: 300, height: 400 },
      { width: 320, height: 420 },
    ]);
  });

  it('returns the original size for the identity and output-only transformations', () => {
    expect(plannedSizes(parseTransformation(''), { width: 800, height: 600 })).toEqual([{ width: 800, height: 600 }]);
    expect(plannedSizes(parseTransformation('q-80,f-webp'), { width: 800, height: 600 })).toEqual([{ width: 800, height: 600 }]);
  });

  it('resolves cw/ch against the previous step and iw/ih against the original', () => {
    const t = parseTransformation('w-400:w-cw_div_2:w-iw_div_4,h-ih_div_4,c-force');
    expect(plannedSizes(t, { width: 800, height: 600 })).toEqual([
      { width: 400, height: 300 },
      { width: 200, height: 150 },
      { width: 200, height: 150 },
    ]);
  });

  it('resolves fractions against the previous step', () => {
    const t = parseTransformation('w-0.5:w-0.5');
    expect(plannedSizes(t, { width: 800, height: 600 }).at(-1)).toEqual({ width: 200, height: 150 });
  });

  it('propagates a 400 from any step', () => {
    expectBadParam(() => plannedSizes(parseTransformation('w-100:w-100,h-100,x-50'), { width: 800, height: 600 }), 'x');
  });

  it('matches planning the steps one by one', () => {
    const t = parseTransformation('w-300,h-300,fo-top:rt-45,bg-red:cm-pad_resize,w-500,h-200:b-3_blue,r-max');
    const original = { width: 640, height: 480 };
    let size = original;
    const expected = t.steps.map((step) => (size = planStep(size, step, original).size));
    expect(plannedSizes(t, original)).toEqual(expected);
    expect(expected.at(-1)).toEqual({ width: 506, height: 206 });
  });
});
