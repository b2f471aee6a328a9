/** decodeHintFor: the smallest source the first resize needs, and no hint where a smaller source changes the result. */
import { describe, expect, it } from 'vitest';
import { DECODE_REDUCTIONS } from '../../../src/codecs/types';
import { decodeHintFor, vectorHintFor } from '../../../src/transform/decode-hint';
import { parseTransformation } from '../../../src/transform/parse';
import { planStep } from '../../../src/transform/plan';

const hint = (tr: string, width: number, height: number, orientation = 1) =>
  decodeHintFor(parseTransformation(tr), { width, height }, orientation);

describe('decodeHintFor', () => {
  it.each([
    ['w-800', 4000, 3000, { minWidth: 800, minHeight: 600 }],
    ['h-300', 4000, 3000, { minWidth: 400, minHeight: 300 }],
    ['w-800,h-600,c-force', 4000, 3000, { minWidth: 800, minHeight: 600 }],
    // one side reduced, the other kept: the full height is still needed
    ['w-800,h-3000,c-force', 4000, 3000, { minWidth: 800, minHeight: 3000 }],
    ['w-800,h-800,c-at_max', 4000, 3000, { minWidth: 800, minHeight: 600 }],
    ['w-800,h-800,c-at_least', 4000, 3000, { minWidth: 1067, minHeight: 800 }],
    ['w-800,h-800,cm-pad_resize', 4000, 3000, { minWidth: 800, minHeight: 600 }],
    // cover and crop: the crop keeps 3000×3000 of the source, which must hold 800×800
    ['w-800,h-800', 4000, 3000, { minWidth: 1067, minHeight: 800 }],
    ['w-800,dpr-2', 4000, 3000, { minWidth: 1600, minHeight: 1200 }],
    ['w-iw_div_5', 4000, 3000, { minWidth: 800, minHeight: 600 }],
    ['w-800:rt-90:w-100', 4000, 3000, { minWidth: 800, minHeight: 600 }],
    ['w-800,rt-90,bl-5,b-4_red,r-10', 4000, 3000, { minWidth: 800, minHeight: 600 }],
  ])('%s on %i×%i', (tr, width, height, expected) => {
    expect(hint(tr, width, height)).toEqual(expected);
  });

  it('is in stored orientation: 5–8 swap the sides', () => {
    // stored 4000×3000 with orientation 6 is 3000×4000 upright; w-600 needs 600×800 upright
    expect(hint('w-600', 3000, 4000, 6)).toEqual({ minWidth: 800, minHeight: 600 });
    expect(hint('w-600', 3000, 4000, 3)).toEqual({ minWidth: 600, minHeight: 800 });
  });

  it.each([
    ['', 'no transformation'],
    ['q-50,f-webp', 'output options only'],
    ['rt-90', 'no resize'],
    ['w-5000', 'an enlargement'],
    ['w-4000', 'the same size'],
    ['t-true,w-800', 'trim depends on the pixels'],
    ['w-800,h-600,cm-extract', 'an extract, no resize'],
    ['x-100,y-100,w-500,h-500', 'an extract at a position'],
    ['w-0.2', 'a fraction of the current size'],
    ['w-cw_div_5', 'an expression of the current size'],
    ['bl-10:w-800', 'the first step does not resize'],
    ['e-grayscale:w-800', 'the first step does not resize'],
  ])('%s → {} (%s)', (tr) => {
    expect(hint(tr, 4000, 3000)).toEqual({});
  });

  it('24 MP → 800 wide allows the 1/4 reduction even though 1/3 would round differently', () => {
    expect(hint('w-800', 6000, 4000)).toEqual({ minWidth: 800, minHeight: 533 });
  });

  it('raises the minimum above a reduction that would plan one pixel differently', () => {
    // 1999×1001 at 1/2 is 1000×501: w-600 gives 600×301 there but 600×300 at full size
    expect(planStep({ width: 1000, height: 501 }, parseTransformation('w-600').steps[0]!, { width: 1999, height: 1001 }).size)
      .toEqual({ width: 600, height: 301 });
    expect(hint('w-600', 1999, 1001)).toEqual({});
    // 4001×2999 → w-500 is 500×375; at 1/8 (501×375) it would be 500×374, at 1/4 (1001×750) it is right:
    // the minimum lands just above 1/8, so a JPEG decodes at 1/4
    expect(hint('w-500', 4001, 2999)).toEqual({ minWidth: 502, minHeight: 376 });
  });

  it('the first step gives the same output on every size a decoder may deliver', () => {
    for (const tr of ['w-800', 'w-800,h-800', 'w-333,h-777,c-at_least', 'w-640,h-480,cm-pad_resize', 'h-301', 'w-97']) {
      for (const [width, height] of [[4032, 3024], [6000, 4000], [4001, 3001], [1999, 1001], [4001, 2999], [12345, 6789]] as const) {
        const t = parseTransformation(tr);
        const original = { width, height };
        const full = planStep(original, t.steps[0]!, original).size;
        const h = decodeHintFor(t, original);
        if (h.minWidth === undefined) continue;
        for (const k of DECODE_REDUCTIONS) {
          const size = { width: Math.ceil(width / k), height: Math.ceil(height / k) };
          if (size.width < h.minWidth || size.height < h.minHeight!) continue;
          expect(planStep(size, t.steps[0]!, original).size, `${tr} on ${width}×${height} at 1/${k}`).toEqual(full);
        }
      }
    }
  });
});

describe('vector hint (SVG drawn at the size asked)', () => {
  const declared = { width: 24, height: 12 };
  it('asks for the first resize’s size, larger than declared too', () => {
    expect(vectorHintFor(parseTransformation('w-480'), declared)).toEqual({ minWidth: 480, minHeight: 240 });
    expect(vectorHintFor(parseTransformation('w-12'), declared)).toEqual({ minWidth: 12, minHeight: 6 });
    // Cover crop: drawn so the cropped part holds the output.
    expect(vectorHintFor(parseTransformation('w-100,h-100'), declared)).toEqual({ minWidth: 200, minHeight: 100 });
  });

  it('asks for nothing when the first operation is no resize or the output depends on the drawn size', () => {
    expect(vectorHintFor(parseTransformation('bl-3'), declared)).toEqual({});
    expect(vectorHintFor(parseTransformation('t-true:w-100'), declared)).toEqual({});
    expect(vectorHintFor(parseTransformation('cm-extract,w-10,h-10,x-2,y-2'), declared)).toEqual({});
  });
});
