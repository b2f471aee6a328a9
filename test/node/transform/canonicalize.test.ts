/**
 * The canonical form: one text per meaning. Equivalent requests share it (they share a cache entry),
 * different requests do not, and the canonical text parses back to the same transformation.
 */
import { describe, expect, it } from 'vitest';
import { BadParam } from '../../../src/transform/errors';
import { PARAMS, type ParamKey, type ParamValues } from '../../../src/transform/params';
import { canonicalize, chain, parseTransformation, type Transformation } from '../../../src/transform/parse';

const canonical = (text: string) => canonicalize(parseTransformation(text));
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('canonicalize: exact text', () => {
  it.each([
    ['', ''],
    ['h-200,w-300', 'w-300,h-200'],
    ['e-grayscale,rt-N90,h-200,w-300,q-80', 'w-300,h-200,rt-270,e-grayscale:q-80'],
    ['b-5_red,r-10,e-contrast,e-grayscale,e-usm-2-2-0.8-0.024,e-sharpen,bl-3,fl-v_h,rt-90,bg-red,yc-4,xc-3,y-2,x-1,fo-top,cm-extract,c-force,dpr-2,ar-4-3,h-2,w-1,t-true',
      't-10,w-1,h-2,ar-4-3,dpr-2,c-force,cm-extract,fo-top,x-1,y-2,xc-3,yc-4,bg-FF0000,rt-90,fl-h_v,bl-3,e-sharpen,e-usm-2-2-0.8-0.024,e-grayscale,e-contrast,r-10,b-5_FF0000'],
    ['di-x@@y.jpg,orig-false,md-true,lo-true,pr-true,f-jpg,q-75', 'q-75,f-jpeg,pr-true,lo-true,md-true,orig-false,di-@@x@@y.jpg'],
    ['q-80', 'q-80'],
    ['w-0.50', 'w-0.5'],
    ['w-0300', 'w-300'],
    ['bg-F00', 'bg-FF0000'],
    ['bg-ff000050', 'bg-FF000050'],
    ['bg-FF000099', 'bg-FF0000'],
    ['bg-blurred', 'bg-blurred_auto_0'],
    ['bg-blurred_20_N30', 'bg-blurred_20_N30'],
    ['r-5_5_5_5', 'r-5'],
    ['r-1_2_3_4', 'r-1_2_3_4'],
    ['b-iw_div_100_red', 'b-iw_div_100_FF0000'],
    ['e-sharpen-true', 'e-sharpen'],
    ['e-grayscale-true', 'e-grayscale'],
    ['rt-360', ''],
    ['dpr-auto', ''],
    ['w-100,c-maintain_ratio,fo-center,dpr-1,rt-0,f-auto', 'w-100'],
    ['w-100:q-80:rt-90', 'w-100:rt-90:q-80'],
  ])('%s → %s', (input, expected) => {
    expect(canonical(input)).toBe(expected);
  });

  it('writes dpr-auto as the resolved client hint', () => {
    expect(canonicalize(parseTransformation('w-100,dpr-auto', { dpr: 2 }))).toBe('w-100,dpr-2');
  });
});

describe('canonicalize: equivalent requests are equal', () => {
  it.each([
    ['w-300,h-200', 'h-200,w-300'],
    ['f-jpg', 'f-jpeg'],
    ['rt-N90', 'rt-270'],
    ['rt-360', 'rt-0'],
    ['rt-N360', 'rt-0'],
    ['bg-red', 'bg-FF0000'],
    ['bg-RED', 'bg-ff0000'],
    ['bg-F00', 'bg-FF0000'],
    ['bg-grey', 'bg-gray'],
    ['fl-h_v', 'fl-v_h'],
    ['t-true', 't-10'],
    ['r-7', 'r-7_7_7_7'],
    ['e-sharpen', 'e-sharpen-true'],
    ['b-5_red', 'b-5_F00'],
    ['bg-blurred', 'bg-blurred_auto_0'],
    ['di-@@a@@b.jpg', 'di-a@@b.jpg'],
    ['w-300,q-80:rt-90', 'w-300:rt-90,q-80'],
    ['q-80,w-300:rt-90,f-webp', 'w-300:rt-90:f-webp,q-80'],
    ['q-50:w-300:q-80', 'w-300,q-80'],
    ['w-100,w-300', 'w-300'],
    ['w-300,,:', 'w-300'],
    ['dpr-auto,w-100', 'w-100,dpr-1'],
    ['w-300,h-300,c-maintain_ratio', 'w-300,h-300'],
    ['w-300,h-300,fo-center', 'w-300,h-300'],
    ['f-auto', ''],
  ])('%s ≡ %s', (a, b) => {
    expect(canonical(a)).toBe(canonical(b));
  });
});

describe('canonicalize: different requests differ', () => {
  it.each([
    ['w-100:rt-90', 'rt-90:w-100'],
    ['w-100:h-100', 'w-100,h-100'],
    ['w-100', 'w-101'],
    ['w-100', 'h-100'],
    ['w-0.5', 'w-iw_div_2'],
    ['rt-90', 'rt-N90'],
    ['fl-h', 'fl-v'],
    ['bg-FF000050', 'bg-FF0000'],
    ['bg-blurred_20', 'bg-blurred_21'],
    ['f-webp', 'f-avif'],
    ['f-orig', ''],
    ['q-80', 'q-81'],
    ['pr-true', 'pr-false'],
    ['e-sharpen', 'e-sharpen-10'],
    ['r-1_2_3_4', 'r-4_3_2_1'],
    ['c-at_max', 'c-at_max_enlarge'],
  ])('%s ≠ %s', (a, b) => {
    expect(canonical(a)).not.toBe(canonical(b));
  });
});

const ROUND_TRIP_INPUTS = [
  '',
  'w-300',
  'h-200,w-300',
  'w-0.5,h-0.25',
  'w-iw_div_2,h-ih_mul_0.75',
  'w-cw_sub_N10:h-ch_div_2_add_1',
  'w-400,ar-4-3',
  'h-300,ar-1.5-1',
  'w-400,ar-iar_div_2',
  'w-100,dpr-0.1',
  'w-100,dpr-2.5',
  'w-100,dpr-auto',
  ...['maintain_ratio', 'force', 'at_least', 'at_max', 'at_max_enlarge'].map((c) => `w-300,h-300,c-${c}`),
  ...['pad_resize', 'extract', 'pad_extract'].map((cm) => `w-300,h-300,cm-${cm},fo-bottom_right`),
  'w-100,h-100,cm-extract,x-10,y-20',
  'w-100,h-100,xc-iw_div_2,yc-ih_div_2',
  'bg-FF0000',
  'bg-ff000050',
  'bg-FF000000',
  'bg-FF000001',
  'bg-FF000098',
  'bg-FF000099',
  'bg-F0A',
  'bg-red',
  'bg-LightGoldenRodYellow',
  'bg-blurred',
  'bg-blurred_auto',
  'bg-blurred_20_N30',
  'bg-blurred_100_255',
  'bg-blurred_1_N0',
  'rt-90',
  'rt-N90',
  'rt-360',
  'rt-N360',
  'rt-auto',
  'rt-45',
  'rt-22.5',
  'rt-N0.5',
  'fl-h',
  'fl-v',
  'fl-v_h',
  'bl-1',
  'bl-100',
  'e-sharpen',
  'e-sharpen-true',
  'e-sharpen-20',
  'e-usm-2-2-0.8-0.024',
  'e-usm-0-0.01-0-0',
  'e-grayscale',
  'e-contrast-true',
  'r-20',
  'r-max',
  'r-1_2_3_4',
  'r-0_5_0_5',
  'b-5_FF0000',
  'b-5_red',
  'b-iw_div_100_F00',
  'b-5_FF000050',
  't-true',
  't-1',
  'q-80',
  'f-jpg',
  ...['auto', 'webp', 'jpeg', 'png', 'avif', 'orig'].map((f) => `f-${f}`),
  'pr-true,lo-false,md-true,orig-false',
  'di-@@defaults@@missing.jpg',
  'di-@@@@a.png',
  'di-a-b@@c.jpg',
  'q-50:w-300:q-80,f-webp:rt-N90,bg-red:e-grayscale,b-5_blue',
  'w-400,h-300,cm-pad_resize,bg-blurred_10_N20,fo-left:rt-90,fl-h:bl-5,e-sharpen,e-contrast:r-max,q-60,f-avif,lo-true',
  't-true:w-1,h-1:w-16383,h-16383,c-at_max_enlarge',
];

function withoutNeutral(t: Transformation): Transformation {
  const strip = (values: ParamValues): ParamValues =>
    Object.fromEntries(
      Object.entries(values).filter(([key, value]) => PARAMS[key as ParamKey].neutral !== value),
    ) as ParamValues;
  return { steps: t.steps.map(strip).filter((s) => Object.keys(s).length > 0), output: strip(t.output) };
}

describe('canonicalize: round trip', () => {
  it.each(ROUND_TRIP_INPUTS)('canonical(parse(canonical(%j))) is canonical(%j)', (input) => {
    const once = canonical(input);
    expect(canonical(once)).toBe(once);
  });

  it.each(ROUND_TRIP_INPUTS)('the canonical text of %j parses back to the same transformation', (input) => {
    // Neutral values (c-maintain_ratio, fo-center, dpr-1, rt-0, f-auto) are left out of the canonical text.
    const parsed = withoutNeutral(parseTransformation(input));
    const reparsed = parseTransformation(canonicalize(parsed));
    // Colours may be written differently (red vs FF0000) but carry the same values; expressions keep their text.
    // Through JSON because N0 parses to -0, which means the same as 0 but is not toEqual to it.
    expect(asJson(reparsed)).toEqual(asJson(parsed));
  });

  it('keeps fractional rotations exact and stable (rt-45.3, rt-N45.3)', () => {
    expect(canonical('rt-45.3')).toBe('rt-45.3');
    expect(canonical('rt-N45.3')).toBe(canonical('rt-314.7'));
    expect(canonical(canonical('rt-N45.3'))).toBe(canonical('rt-N45.3'));
  });

  it('takes at most four decimals, so canonical numbers never need exponent notation', () => {
    for (const input of ['w-0.0000001', 'ar-0.0000001-1', 'e-usm-2-2-0.8-0.0000001']) {
      expect(() => canonical(input), input).toThrow(BadParam);
    }
    expect(canonical('w-0.0001')).toBe('w-0.0001');
  });
});

describe('canonicalize: chained path and query transformations', () => {
  it('is the canonical form of the joined text', () => {
    const t = chain(parseTransformation('h-200,w-300,q-50'), parseTransformation('rt-N90,q-80'));
    expect(canonicalize(t)).toBe('w-300,h-200:rt-270:q-80');
    expect(canonicalize(t)).toBe(canonical('w-300,h-200,q-50:rt-N90,q-80'));
  });

  it('keeps step order: path steps first', () => {
    const a = canonicalize(chain(parseTransformation('w-100'), parseTransformation('rt-90')));
    const b = canonicalize(chain(parseTransformation('rt-90'), parseTransformation('w-100')));
    expect(a).toBe('w-100:rt-90');
    expect(b).toBe('rt-90:w-100');
  });

  it('treats output parameters the same whether they came from the path or the query', () => {
    const fromPath = canonicalize(chain(parseTransformation('w-100,f-webp'), parseTransformation('')));
    const fromQuery = canonicalize(chain(parseTransformation('w-100'), parseTransformation('f-webp')));
    expect(fromPath).toBe(fromQuery);
  });
});
