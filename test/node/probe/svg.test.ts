/** The SVG probe: the declared size from width, height and viewBox (units included), and the raster size for a hint. */
import { describe, expect, it } from 'vitest';
import { probe, ProbeError, sniffFormat } from '../../../src/codecs/probe';
import { svgRasterSize } from '../../../src/codecs/probe/svg';

const svg = (attributes: string, prolog = '') =>
  new TextEncoder().encode(`${prolog}<svg xmlns="http://www.w3.org/2000/svg" ${attributes}><rect width="1" height="1"/></svg>`);
const size = (attributes: string) => {
  const info = probe(svg(attributes));
  return [info.width, info.height];
};

describe('SVG probe', () => {
  it('reads width and height, in px or absolute units', () => {
    expect(size('width="200" height="100"')).toEqual([200, 100]);
    expect(size("width='120px' height='30.2'")).toEqual([120, 31]);
    expect(size('width="1in" height="72pt"')).toEqual([96, 96]);
    expect(size('width="2.54cm" height="10mm"')).toEqual([96, 38]);
  });

  it('takes the viewBox size for missing or percentage width and height', () => {
    expect(size('viewBox="0 0 300 150"')).toEqual([300, 150]);
    expect(size('viewBox="10,10,300,150" width="50%"')).toEqual([150, 150]);
    expect(size('viewBox="0 0 300 150" width="600"')).toEqual([600, 150]);
  });

  it('finds the root after a declaration, comments and a doctype, and is no format the magic bytes name', () => {
    const bytes = svg('width="10" height="20"', '\uFEFF<?xml version="1.0"?>\n<!-- a > b -->\n<!DOCTYPE svg [ <!ENTITY x "y"> ]>\n');
    expect(sniffFormat(bytes)).toBeUndefined();
    expect(probe(bytes)).toMatchObject({ format: 'svg', width: 10, height: 20, hasAlpha: true, orientation: 1, frames: 1 });
    // `stroke-width` is not `width`.
    expect(size('stroke-width="5" viewBox="0 0 40 30"')).toEqual([40, 30]);
  });

  it.each([
    ['no size at all', ''],
    ['a relative size without viewBox', 'width="100%" height="50"'],
    ['a zero width', 'width="0" height="10"'],
    ['an unknown unit', 'width="10furlongs" height="10"'],
    ['a side no image has', 'width="1e9" height="10"'],
  ])('refuses %s as malformed', (_name, attributes) => {
    expect(() => probe(svg(attributes))).toThrowError(ProbeError);
    try {
      probe(svg(attributes));
    } catch (error) {
      expect((error as ProbeError).reason).toBe('malformed');
      expect((error as ProbeError).format).toBe('svg');
    }
  });

  it('draws at the hint’s size, aspect kept, smaller or larger than declared', () => {
    expect(svgRasterSize({ width: 1000, height: 500 }, {})).toEqual({ width: 1000, height: 500 });
    expect(svgRasterSize({ width: 1000, height: 500 }, { minWidth: 300, minHeight: 150 })).toEqual({ width: 300, height: 150 });
    expect(svgRasterSize({ width: 100000, height: 50000 }, { minWidth: 300, minHeight: 1 })).toEqual({ width: 300, height: 150 });
    expect(svgRasterSize({ width: 1000, height: 333 }, { minWidth: 300, minHeight: 100 })).toEqual({ width: 301, height: 100 });
    expect(svgRasterSize({ width: 24, height: 24 }, { minWidth: 480, minHeight: 480 })).toEqual({ width: 480, height: 480 });
  });
});
