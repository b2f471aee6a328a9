/** Snapping sizes and qualities to a tenant's bounds, and w-auto from the width hint, before the canonical form. */
import { describe, expect, it } from 'vitest';
import { canonicalize, parseTransformation } from '../../../src/transform/parse';
import { boundTransformation, nearest, type SizeBounds, snapUp } from '../../../src/transform/variant-bounds';

const none: SizeBounds = { sizeStep: null, widths: [], heights: [], qualities: [] };
const bounded = (text: string, bounds: Partial<SizeBounds>) => canonicalize(boundTransformation(parseTransformation(text), { ...none, ...bounds }));

describe('variant bounds', () => {
  it('rounds pixel widths and heights up to the step, in every step', () => {
    expect(bounded('w-401,h-99:w-1', { sizeStep: 100 })).toBe('w-500,h-100:w-100');
    expect(bounded('w-16383', { sizeStep: 1000 })).toBe('w-16383');
  });

  it('takes the smallest allowed size at least as large, else the largest', () => {
    expect(bounded('w-330', { widths: [320, 640, 1280] })).toBe('w-640');
    expect(bounded('w-5000,h-10', { widths: [320, 640], heights: [200] })).toBe('w-640,h-200');
    // The allowlist wins over the step.
    expect(bounded('w-321', { widths: [640], sizeStep: 7 })).toBe('w-640');
  });

  it('leaves fractions and expressions alone, and changes nothing without bounds', () => {
    expect(bounded('w-0.5,h-ih_div_3', { sizeStep: 100 })).toBe('w-0.5,h-ih_div_3');
    expect(bounded('w-333,q-47', {})).toBe('w-333:q-47');
  });

  it('takes the nearest allowed quality, the higher on a tie', () => {
    expect(bounded('q-47', { qualities: [40, 60, 80] })).toBe('q-40');
    expect(bounded('q-50', { qualities: [40, 60, 80] })).toBe('q-60');
    expect(nearest(99, [40, 60, 80])).toBe(80);
    expect(snapUp(7, [], null)).toBe(7);
  });
});

describe('w-auto', () => {
  it('takes the hint rounded up to 100, capped at the largest width, and records that it was read', () => {
    const used = new Set<'dpr' | 'width'>();
    expect(canonicalize(parseTransformation('w-auto', { width: 317, used }))).toBe('w-400');
    expect([...used]).toEqual(['width']);
    expect(canonicalize(parseTransformation('w-auto', { width: 99999 }))).toBe('w-16383');
  });

  it('without a hint leaves the width out', () => {
    const used = new Set<'dpr' | 'width'>();
    expect(canonicalize(parseTransformation('w-auto,h-50', { used }))).toBe('h-50');
    expect(used.has('width')).toBe(true);
  });
});
