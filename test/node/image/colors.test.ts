import { describe, expect, it } from 'vitest';
import { hexToRgba, parseCssColorName } from '../../../src/image/colors';

describe('parseCssColorName', () => {
  it('knows CSS named colours, case-insensitively', () => {
    expect(parseCssColorName('red')).toEqual({ r: 255, g: 0, b: 0, a: 255 });
    expect(parseCssColorName('RebeccaPurple')).toEqual({ r: 0x66, g: 0x33, b: 0x99, a: 255 });
    expect(parseCssColorName('lightgoldenrodyellow')).toEqual({ r: 0xfa, g: 0xfa, b: 0xd2, a: 255 });
    expect(parseCssColorName('grey')).toEqual(parseCssColorName('gray'));
  });

  it('rejects anything else', () => {
    expect(parseCssColorName('notacolour')).toBeUndefined();
    expect(parseCssColorName('constructor')).toBeUndefined();
    expect(parseCssColorName('')).toBeUndefined();
  });
});

describe('hexToRgba', () => {
  it('parses 3 and 6 digits, with or without #', () => {
    expect(hexToRgba('F0A')).toEqual({ r: 255, g: 0, b: 170, a: 255 });
    expect(hexToRgba('1a2b3c')).toEqual({ r: 0x1a, g: 0x2b, b: 0x3c, a: 255 });
    expect(hexToRgba('#FFFFFF')).toEqual({ r: 255, g: 255, b: 255, a: 255 });
  });

  it("reads ImageKit's RRGGBBAA with AA as a decimal opacity 00–99", () => {
    expect(hexToRgba('FF000099')?.a).toBe(255);
    expect(hexToRgba('FF000000')?.a).toBe(0);
    expect(hexToRgba('FF000050')?.a).toBe(129);
    expect(hexToRgba('FF00001A')).toBeUndefined();
  });

  it('rejects malformed input', () => {
    for (const bad of ['', 'ff', 'fffff', 'ggg', '12345g', 'ff00ff0', 'ff00ff000']) expect(hexToRgba(bad)).toBeUndefined();
  });
});
