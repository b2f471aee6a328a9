/** e-shadow, e-gradient and e-distort through the parser and planner: canonical forms, sizes and limits. */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/http/errors';
import { canonicalize, parseTransformation } from '../../../src/transform/parse';
import { largestFrame, plannedSizes, planStep } from '../../../src/transform/plan';
import { thrownBy } from './expect-errors';

const canonical = (tr: string) => canonicalize(parseTransformation(tr));
const plan = (tr: string, width: number, height: number) =>
  planStep({ width, height }, parseTransformation(tr).steps[0]!, { width, height });

describe('canonical form', () => {
  it.each([
    ['e-shadow-bl-10_st-30_x-2_y-2', 'e-shadow'],
    ['e-shadow-y-N5_x-10_st-40_bl-15', 'e-shadow-bl-15_st-40_x-10_y-N5'],
    ['e-gradient-ld-bottom_from-white_to-00000000_sp-1', 'e-gradient'],
    ['e-gradient-sp-0.5_to-red_ld-top_right', 'e-gradient-ld-45_to-FF0000_sp-0.5'],
    ['e-gradient-ld-topleft', 'e-gradient-ld-315'],
    ['e-distort-a-N30', 'e-distort-a-N30'],
    ['e-distort-p-0_0_10_0_10_10_0_010', 'e-distort-p-0_0_10_0_10_10_0_10'],
  ])('%s is written %s and parses back to itself', (tr, expected) => {
    expect(canonical(tr)).toBe(expected);
    expect(parseTransformation(canonical(tr))).toEqual(parseTransformation(tr));
  });
});

describe('planning', () => {
  it('turns the shadow offsets into pixels of the image where it is cast', () => {
    const { ops } = plan('w-500,e-shadow-x-10_y-N4_st-50_bl-6', 1000, 800);
    expect(ops.at(-1)).toEqual({ op: 'shadow', sigma: 3, opacity: 0.5, dx: 50, dy: -16 });
  });

  it('refuses a shadow on more than 2 MP with a 400, before any pixel, and allows it after a resize in the step', () => {
    const error = thrownBy(() => plannedSizes(parseTransformation('e-shadow'), { width: 2216, height: 1500 })) as HttpError;
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/2 MP/);
    expect(plannedSizes(parseTransformation('w-500,e-shadow'), { width: 2216, height: 1500 }).at(-1)).toEqual({ width: 500, height: 338 });
  });

  it('resolves the gradient stop: a fraction as written, pixels and expressions along the gradient line', () => {
    expect(plan('e-gradient-sp-0.25', 200, 100).ops[0]).toMatchObject({ op: 'gradient', degrees: 180, stop: 0.25 });
    const stop = (tr: string) => (plan(tr, 200, 100).ops[0] as { stop: number }).stop;
    expect(stop('e-gradient-sp-50')).toBeCloseTo(0.5, 9);
    expect(stop('e-gradient-ld-90_sp-ch_div_2')).toBeCloseTo(0.25, 9);
  });

  it('grows the canvas of an arc in the planned sizes and the largest frame, and keeps it for a perspective', () => {
    const arc = plannedSizes(parseTransformation('w-400:e-distort-a-180'), { width: 800, height: 200 }).at(-1)!;
    // 400×100 on a half circle: the middle radius 400/π, the outer 50 more.
    const outer = 400 / Math.PI + 50;
    expect(arc).toEqual({ width: Math.ceil(2 * outer), height: Math.ceil(outer) });
    expect(largestFrame(parseTransformation('w-400:e-distort-a-180'), { width: 800, height: 200 })).toEqual(arc);
    expect(plannedSizes(parseTransformation('e-distort-p-0_0_90_10_100_100_0_100'), { width: 120, height: 80 })).toEqual([{ width: 120, height: 80 }]);
  });

  it('runs distort, then shadow, then gradient, before border and background', () => {
    const { ops } = plan('e-gradient,e-shadow,e-distort-a-10,b-2_000000,bg-white', 100, 100);
    expect(ops.map((o) => o.op)).toEqual(['arc', 'shadow', 'gradient', 'border', 'background']);
  });
});
