/** The small value syntaxes of grammars.ts, read directly: what each parses to and how it is written back. */
import { describe, expect, it } from 'vitest';
import {
  aspectRatio,
  background,
  border,
  defaultImagePath,
  flip,
  radius,
  rotation,
  sharpenLevel,
  trim,
  unsharpMask,
} from '../../../src/transform/grammars';
import { expectBadParam } from './expect-errors';

const RED = { r: 255, g: 0, b: 0, a: 255 };

describe('background', () => {
  it('writes colours as hex and blurred fills with all three parts', () => {
    expect(background.format(background.parse('red', 'bg'))).toBe('FF0000');
    expect(background.format(background.parse('blurred', 'bg'))).toBe('blurred_auto_0');
    expect(background.format(background.parse('blurred_5', 'bg'))).toBe('blurred_5_0');
    expect(background.format(background.parse('blurred_auto_N7', 'bg'))).toBe('blurred_auto_N7');
    expect(background.format({ kind: 'blurred', amount: 30, brightness: -255 })).toBe('blurred_30_N255');
  });

  it('does not take blurred as a prefix of another word', () => {
    expectBadParam(() => background.parse('blurredx', 'bg'), 'bg');
  });
});

describe('border', () => {
  it('splits width and colour at the last underscore, so the width may be an expression', () => {
    expect(border.parse('ch_div_20_blue', 'b')).toEqual({
      width: { tokens: ['ch', 'div', 20], source: 'ch_div_20' },
      color: { r: 0, g: 0, b: 255, a: 255 },
    });
    expect(border.format(border.parse('ch_div_20_blue', 'b'))).toBe('ch_div_20_0000FF');
    expect(border.format({ width: 3, color: RED })).toBe('3_FF0000');
  });

  it('rejects a width that is neither 1–500 nor an expression', () => {
    for (const raw of ['0_red', '501_red', '1.5_red', 'N2_red', 'iw_red', '_red', 'red']) expectBadParam(() => border.parse(raw, 'b'), 'b');
  });
});

describe('radius', () => {
  it('expands one value to four corners and writes equal corners as one value', () => {
    expect(radius.parse('8', 'r')).toEqual({ tl: 8, tr: 8, br: 8, bl: 8 });
    expect(radius.format({ tl: 8, tr: 8, br: 8, bl: 8 })).toBe('8');
    expect(radius.format({ tl: 1, tr: 2, br: 3, bl: 4 })).toBe('1_2_3_4');
    expect(radius.format('max')).toBe('max');
  });

  it('allows zero corners as long as one is rounded', () => {
    expect(radius.parse('0_0_0_1', 'r')).toEqual({ tl: 0, tr: 0, br: 0, bl: 1 });
    expectBadParam(() => radius.parse('0_0_0_0', 'r'), 'r');
  });
});

describe('rotation', () => {
  it('normalises to clockwise degrees in [0, 360)', () => {
    expect(rotation.parse('N90', 'rt')).toBe(270);
    expect(rotation.parse('N180', 'rt')).toBe(180);
    expect(rotation.parse('N270', 'rt')).toBe(90);
    expect(rotation.parse('360', 'rt')).toBe(0);
    expect(rotation.parse('N0.5', 'rt')).toBe(359.5);
    expect(rotation.format(270)).toBe('270');
    expect(rotation.format('auto')).toBe('auto');
  });
});

describe('flip', () => {
  it('writes both directions as h_v', () => {
    expect(flip.format(flip.parse('v_h', 'fl'))).toBe('h_v');
    expect(flip.format(flip.parse('h', 'fl'))).toBe('h');
    expect(flip.format(flip.parse('v', 'fl'))).toBe('v');
  });
});

describe('aspectRatio', () => {
  it('reads width-height and writes it back', () => {
    expect(aspectRatio.format(aspectRatio.parse('4-3', 'ar'))).toBe('4-3');
    expect(aspectRatio.format(aspectRatio.parse('1.50-1', 'ar'))).toBe('1.5-1');
    expect(aspectRatio.format(aspectRatio.parse('iar_mul_2', 'ar'))).toBe('iar_mul_2');
  });

  it('rejects ratios with a zero, a missing side, or more than two sides', () => {
    for (const raw of ['4-0', '0-4', '4-', '-3', '4-3-1', '4_3']) expectBadParam(() => aspectRatio.parse(raw, 'ar'), 'ar');
  });
});

describe('trim', () => {
  it('reads true as the default threshold 10', () => {
    expect(trim.parse('true', 't')).toBe(10);
    expect(trim.format(10)).toBe('10');
  });
});

describe('defaultImagePath', () => {
  it('turns @@ into / and back, without a leading slash', () => {
    expect(defaultImagePath.parse('@@img@@fallback.png', 'di')).toBe('img/fallback.png');
    expect(defaultImagePath.format('img/fallback.png')).toBe('@@img@@fallback.png');
  });

  it('refuses . and .. segments, empty segments and paths over 1024 characters', () => {
    for (const raw of ['@@..@@x', '@@a@@..', '@@.@@x', 'a@@@@b', '@@', `@@${'a'.repeat(1025)}`]) {
      expectBadParam(() => defaultImagePath.parse(raw, 'di'), 'di');
    }
    expect(defaultImagePath.parse(`@@${'a'.repeat(1024)}`, 'di')).toHaveLength(1024);
    expect(defaultImagePath.parse('@@a@@..b@@c..', 'di')).toBe('a/..b/c..');
  });
});

describe('unsharpMask', () => {
  it('reads and writes radius-sigma-amount-threshold', () => {
    const usm = unsharpMask.parse('1.5-0.5-2-0.1', 'e-usm');
    expect(usm).toEqual({ radius: 1.5, sigma: 0.5, amount: 2, threshold: 0.1 });
    expect(unsharpMask.format(usm)).toBe('1.5-0.5-2-0.1');
  });
});

describe('sharpenLevel', () => {
  it('is true when bare and a level otherwise', () => {
    expect(sharpenLevel.parse(undefined, 'e-sharpen')).toBe(true);
    expect(sharpenLevel.parse('50', 'e-sharpen')).toBe(50);
    expect(sharpenLevel.format(true)).toBe('');
    expect(sharpenLevel.format(50)).toBe('50');
  });
});
