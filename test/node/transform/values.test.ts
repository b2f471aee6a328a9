/** The value-grammar builders of values.ts: parse to typed values, format canonically, reject with BadParam. */
import { describe, expect, it } from 'vitest';
import {
  bool,
  color,
  coordinate,
  flag,
  formatColor,
  length,
  numberIn,
  oneOf,
  parseColor,
} from '../../../src/transform/values';
import { expectBadParam } from './expect-errors';

describe('numberIn', () => {
  const signed = numberIn(-10, 10);
  const positive = numberIn(0.5, 5);
  const integer = numberIn(1, 100, { integer: true });

  it('reads decimals within the bounds, inclusive', () => {
    expect(positive.parse('0.5', 'k')).toBe(0.5);
    expect(positive.parse('5', 'k')).toBe(5);
    expect(positive.parse('2.25', 'k')).toBe(2.25);
  });

  it('reads N as a minus sign only when the range has negatives', () => {
    expect(signed.parse('N10', 'k')).toBe(-10);
    expect(signed.parse('N0.5', 'k')).toBe(-0.5);
    expect(signed.format(-3)).toBe('N3');
    expect(signed.format(3)).toBe('3');
    expect(signed.accepts).toContain('N prefix');
    expectBadParam(() => positive.parse('N1', 'k'), 'k');
    expect(positive.accepts).not.toContain('N prefix');
  });

  it('rejects values out of bounds, malformed and empty', () => {
    for (const raw of ['0.4', '5.01', '-1', '1e0', '.5', '5.', '', undefined]) expectBadParam(() => positive.parse(raw, 'k'), 'k');
    expectBadParam(() => signed.parse('N11', 'k'), 'k');
  });

  it('rejects decimals when integers are required', () => {
    expect(integer.parse('42', 'q')).toBe(42);
    expectBadParam(() => integer.parse('42.0', 'q'), 'q');
    expect(integer.accepts).toBe('an integer from 1 to 100');
  });
});

describe('oneOf', () => {
  const grammar = oneOf(['a', 'b'], { alias: 'b' });

  it('accepts the listed values and maps aliases', () => {
    expect(grammar.parse('a', 'k')).toBe('a');
    expect(grammar.parse('alias', 'k')).toBe('b');
    expect(grammar.accepts).toBe('a, b, alias');
  });

  it('rejects anything else, case-sensitively', () => {
    for (const raw of ['A', 'c', 'ALIAS', '', undefined]) expectBadParam(() => grammar.parse(raw, 'k'), 'k');
  });

  it('rejects Object.prototype member names', () => {
    for (const raw of ['constructor', 'toString', 'valueOf', '__proto__']) expectBadParam(() => grammar.parse(raw, 'k'), 'k');
  });
});

describe('bool and flag', () => {
  it('bool takes exactly true or false', () => {
    expect(bool.parse('true', 'pr')).toBe(true);
    expect(bool.parse('false', 'pr')).toBe(false);
    expect(bool.format(false)).toBe('false');
    for (const raw of ['True', '1', '0', '', undefined]) expectBadParam(() => bool.parse(raw, 'pr'), 'pr');
  });

  it('flag takes no value (or the -true SDKs emit) and formats as nothing', () => {
    expect(flag.parse(undefined, 'e-grayscale')).toBe(true);
    expect(flag.parse('true', 'e-grayscale')).toBe(true);
    expect(flag.format(true)).toBe('');
    for (const raw of ['false', '1', '']) expectBadParam(() => flag.parse(raw, 'e-grayscale'), 'e-grayscale');
  });
});

describe('length', () => {
  const grammar = length(1000);

  it('reads pixels, fractions and expressions', () => {
    expect(grammar.parse('1000', 'w')).toEqual({ kind: 'px', value: 1000 });
    expect(grammar.parse('0.001', 'w')).toEqual({ kind: 'fraction', value: 0.001 });
    expect(grammar.parse('iw_div_2', 'w')).toMatchObject({ kind: 'expr', expr: { source: 'iw_div_2' } });
  });

  it('rejects pixels beyond its maximum, 0, and fractions outside (0, 1)', () => {
    for (const raw of ['1001', '0', '1.0', '0.0', '2.5', 'N5', '']) expectBadParam(() => grammar.parse(raw, 'w'), 'w');
  });

  it('formats each kind back to its text', () => {
    expect(grammar.format({ kind: 'px', value: 300 })).toBe('300');
    expect(grammar.format({ kind: 'fraction', value: 0.5 })).toBe('0.5');
    expect(grammar.format(grammar.parse('iw_div_2', 'w'))).toBe('iw_div_2');
  });
});

describe('coordinate', () => {
  const grammar = coordinate(1000);

  it('reads non-negative integers up to its maximum and expressions', () => {
    expect(grammar.parse('0', 'x')).toEqual({ kind: 'px', value: 0 });
    expect(grammar.parse('1000', 'x')).toEqual({ kind: 'px', value: 1000 });
    expect(grammar.parse('iw_sub_10', 'x')).toMatchObject({ kind: 'expr', expr: { source: 'iw_sub_10' } });
  });

  it('rejects values beyond its maximum, negatives, decimals and empty', () => {
    for (const raw of ['1001', 'N1', '0.5', '', undefined]) expectBadParam(() => grammar.parse(raw, 'x'), 'x');
  });
});

describe('colours', () => {
  it('parses 3- and 6-digit hex, hex with a decimal opacity, and CSS names in any case', () => {
    expect(parseColor('F00')).toEqual({ r: 255, g: 0, b: 0, a: 255 });
    expect(parseColor('00ff7f')).toEqual({ r: 0, g: 255, b: 127, a: 255 });
    expect(parseColor('00000000')).toEqual({ r: 0, g: 0, b: 0, a: 0 });
    expect(parseColor('SpringGreen')).toEqual({ r: 0, g: 255, b: 127, a: 255 });
    expect(parseColor('SPRINGGREEN')).toEqual({ r: 0, g: 255, b: 127, a: 255 });
  });

  it('rejects hex opacity, wrong lengths and unknown names', () => {
    for (const text of ['FF0000FF', 'FF0000AA', 'FF00', 'FF00000', 'F', '', 'notacolour', '#FF0000']) {
      expect(parseColor(text)).toBeUndefined();
    }
  });

  it('formats opaque colours as RRGGBB and translucent ones with the 00–99 opacity', () => {
    expect(formatColor({ r: 255, g: 0, b: 170, a: 255 })).toBe('FF00AA');
    expect(formatColor({ r: 1, g: 2, b: 3, a: 0 })).toBe('01020300');
  });

  it('round-trips every opacity from 00 to 98 exactly, and 99 to opaque', () => {
    for (let opacity = 0; opacity <= 99; opacity++) {
      const text = `12AB34${String(opacity).padStart(2, '0')}`;
      const parsed = color.parse(text, 'bg');
      expect(parsed.a).toBe(Math.round((opacity * 255) / 99));
      expect(color.format(parsed)).toBe(opacity === 99 ? '12AB34' : text);
    }
  });

  it('rejects an empty colour with BadParam', () => {
    expectBadParam(() => color.parse('', 'bg'), 'bg');
    expectBadParam(() => color.parse('nope', 'bg'), 'bg');
  });
});
