/** Conditional blocks: parsing, the canonical form, which branch runs, and the decode hint over a block. */
import '../security/node-webcrypto';
import ImageKit from '@imagekit/nodejs';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/http/errors';
import { holds } from '../../../src/transform/conditional';
import { decodeHintFor } from '../../../src/transform/decode-hint';
import { ConditionalError } from '../../../src/transform/errors';
import { largestFrame, plannedSizes } from '../../../src/transform/plan';
import { canonicalize, parseTransformation } from '../../../src/transform/parse';
import { boundTransformation } from '../../../src/transform/variant-bounds';
import { usesCustomFocus } from '../../../src/transform/focus-area';
import { thrownBy } from './expect-errors';

const LANDSCAPE = { width: 4000, height: 3000 };
const PORTRAIT = { width: 3000, height: 4000 };
const LANDSCAPE_RULE = 'if-ar_gt_1,w-200,if-else,w-300,if-end';
const output = (tr: string, size: { width: number; height: number }) => plannedSizes(parseTransformation(tr), size).at(-1);
const canonical = (tr: string) => canonicalize(parseTransformation(tr));

function expectConditionalError(tr: string, pattern: RegExp): void {
  const error = thrownBy(() => parseTransformation(tr));
  expect(error).toBeInstanceOf(ConditionalError);
  expect((error as HttpError).status).toBe(400);
  expect((error as HttpError).message).toMatch(pattern);
}

describe('parsing', () => {
  it('keeps the block as one step and the steps around it as their own', () => {
    const t = parseTransformation('w-1000,if-w_gt_500,h-100:rt-90,if-end,bl-5');
    expect(t.steps).toHaveLength(3);
    expect(t.steps[0]).toEqual({ w: { kind: 'px', value: 1000 } });
    expect(t.steps[1]!.if!.then).toEqual([{ h: { kind: 'px', value: 100 } }, { rt: 90 }]);
    expect(t.steps[1]!.if!.else).toEqual([]);
    expect(t.steps[2]).toEqual({ bl: 5 });
  });

  it.each([
    ['w-100,if-end', /"if-end" has no if-<condition> before it/],
    ['if-else,w-1', /"if-else" has no if-<condition>/],
    ['if-w_gt_1,w-100', /has no if-end/],
    ['if-w_gt_1,if-h_gt_1,w-1,if-end,if-end', /cannot be nested/],
    ['if-w_gt_1,w-1,if-else,w-2,if-else,w-3,if-end', /two if-else/],
    ['if-w_gt_1,q-50,if-end', /"q-50" applies to the whole output/],
  ])('refuses %s with a 400 naming the problem', (tr, pattern) => {
    expectConditionalError(tr, pattern);
  });
});

describe('canonical form', () => {
  it('is shared by equivalent URLs', () => {
    expect(canonical('if-ar_gt_1.0,h-50,w-200,if-else,w-300,if-end')).toBe(canonical('if-ar_gt_1,w-200,h-50,if-else,w-300,if-end'));
    expect(canonical('if-iar_lt_4-3,w-10,if-end')).toBe(canonical('if-iar_lt_1.3333,w-10,if-end'));
    expect(canonical('w-10,if-w_gt_1,h-5,if-end,bl-3')).toBe(canonical('w-10:if-w_gt_1,h-5,if-end:bl-3'));
  });

  it('leaves out empty branches and empty blocks', () => {
    expect(canonical('if-w_gt_1,w-10,if-else,if-end')).toBe('if-w_gt_1,w-10,if-end');
    expect(canonical('w-10,if-w_gt_1,if-end')).toBe('w-10');
  });

  it('parses back to the same transformation, and differs between different conditions', () => {
    for (const tr of [LANDSCAPE_RULE, 'if-w_gte_10_and_h_lt_5_or_iw_ne_3,w-10:rt-90,if-else,cm-extract,w-5,h-5,if-end:bl-2,q-50']) {
      expect(parseTransformation(canonical(tr))).toEqual(parseTransformation(tr));
    }
    expect(canonical('if-ar_gt_1,w-200,if-end')).not.toBe(canonical('if-ar_gte_1,w-200,if-end'));
  });
});

describe('evaluation', () => {
  it('compares with every operator, and with and before or', () => {
    const size = { width: 300, height: 200 };
    const check = (text: string) => holds(parseTransformation(`if-${text},w-1,if-end`).steps[0]!.if!.condition, size, LANDSCAPE);
    expect(['w_eq_300', 'w_ne_299', 'w_gt_299', 'w_gte_300', 'h_lt_201', 'h_lte_200', 'ar_eq_1.5', 'iar_eq_4-3'].map(check)).toEqual(
      Array(8).fill(true),
    );
    expect(['w_ne_300', 'w_gt_300', 'w_lt_300', 'ar_gt_1.5', 'iw_lte_3999'].map(check)).toEqual(Array(5).fill(false));
    expect(check('w_gt_1000_and_h_gt_1_or_ih_eq_3000')).toBe(true);
    expect(check('w_gt_1000_or_h_gt_1_and_ih_eq_1')).toBe(false);
  });

  it('takes the then branch for landscape and the else branch for portrait', () => {
    expect(output(LANDSCAPE_RULE, LANDSCAPE)).toEqual({ width: 200, height: 150 });
    expect(output(LANDSCAPE_RULE, PORTRAIT)).toEqual({ width: 300, height: 400 });
    expect(output('if-ar_gt_1,w-200,if-end', PORTRAIT)).toEqual(PORTRAIT);
  });

  it('judges w h ar on the image where the block starts, iw ih iar on the original', () => {
    const tr = (prop: string) => `w-1000:if-${prop}_eq_1000,rt-90,if-end`;
    expect(output(tr('w'), LANDSCAPE)).toEqual({ width: 750, height: 1000 });
    expect(output(tr('iw'), LANDSCAPE)).toEqual({ width: 1000, height: 750 });
    expect(largestFrame(parseTransformation('if-iw_gt_100,w-10,if-else,w-5000,if-end'), LANDSCAPE)).toEqual({ width: 10, height: 8 });
  });

  it('gives the chosen first step its decode hint, decided on the header size', () => {
    const tr = parseTransformation('if-iw_gt_3000,w-500,if-else,w-1000,if-end');
    expect(decodeHintFor(tr, LANDSCAPE)).toEqual(decodeHintFor(parseTransformation('w-500'), LANDSCAPE));
    expect(decodeHintFor(tr, PORTRAIT)).toEqual(decodeHintFor(parseTransformation('w-1000'), PORTRAIT));
    expect(decodeHintFor(tr, LANDSCAPE).minWidth).toBe(500);
  });
});

describe('checks over every step', () => {
  it('snap sizes and find fo-custom inside branches', () => {
    const t = parseTransformation('if-w_gt_1,w-190,if-else,h-90,fo-custom,if-end');
    const bounded = boundTransformation(t, { sizeStep: 100, widths: [], heights: [], qualities: [] });
    expect(canonicalize(bounded)).toBe('if-w_gt_1,w-200,if-else,h-100,fo-custom,if-end');
    expect(usesCustomFocus(t)).toBe(true);
  });
});

describe('URLs from @imagekit/nodejs', () => {
  const sdk = new ImageKit({ privateKey: 'private_test' });
  it('parses buildSrc with raw conditionals, path and query forms', () => {
    for (const transformationPosition of ['path', 'query'] as const) {
      const url = new URL(
        sdk.helper.buildSrc({
          urlEndpoint: 'https://ik.example/demo',
          src: '/photo.jpg',
          transformation: [{ raw: LANDSCAPE_RULE }, { rotation: 90 }],
          transformationPosition,
        }),
      );
      const text = url.searchParams.get('tr') ?? decodeURIComponent(url.pathname).split('/')[2]!.replace(/^tr:/, '');
      expect(output(text, LANDSCAPE)).toEqual({ width: 150, height: 200 });
      expect(output(text, PORTRAIT)).toEqual({ width: 400, height: 300 });
    }
  });
});

describe('ipw and iph', () => {
  it('are the size of the block’s input after the earlier steps, written w and h canonically', () => {
    // 4000×3000 → w-1000 makes 1000×750 where the block starts.
    const tr = (prop: string, value: number) => `w-1000:if-${prop}_eq_${value},rt-90,if-end`;
    expect(output(tr('ipw', 1000), LANDSCAPE)).toEqual({ width: 750, height: 1000 });
    expect(output(tr('iph', 750), LANDSCAPE)).toEqual({ width: 750, height: 1000 });
    expect(output(tr('ipw', 4000), LANDSCAPE)).toEqual({ width: 1000, height: 750 });
    expect(canonical('if-ipw_gt_500_and_iph_lt_800,w-10,if-end')).toBe('if-w_gt_500_and_h_lt_800,w-10,if-end');
    expect(canonical('if-ipw_gt_500,w-10,if-end')).toBe(canonical('if-w_gt_500,w-10,if-end'));
  });

  it('refuse video properties by name, and unknown ones with the list of properties', () => {
    const duration = thrownBy(() => parseTransformation('if-idu_gt_5,w-10,if-end')) as HttpError;
    expect(duration.status).toBe(400);
    expect(duration.message).toMatch(/idu is the original video's duration, which an image does not have/);
    const unknown = thrownBy(() => parseTransformation('if-is_gt_5,w-10,if-end')) as HttpError;
    expect(unknown.status).toBe(400);
    expect(unknown.message).toMatch(/ipw iph/);
  });

  it('choose the branch of a buildSrc raw conditional on the planned size, not the original', () => {
    const sdk = new ImageKit({ privateKey: 'private_test' });
    const url = new URL(
      sdk.helper.buildSrc({
        urlEndpoint: 'https://ik.example/demo',
        src: '/photo.jpg',
        transformation: [{ width: 500 }, { raw: 'if-ipw_lt_600,e-shadow,if-else,bl-5,if-end' }],
      }),
    );
    const t = parseTransformation(url.searchParams.get('tr')!);
    expect(canonicalize(t)).toBe('w-500:if-w_lt_600,e-shadow,if-else,bl-5,if-end');
    // 4000×3000 resized to 500 wide takes the shadow branch; without the resize the else branch.
    expect(plannedSizes(t, LANDSCAPE).at(-1)).toEqual({ width: 500, height: 375 });
  });
});
