import { describe, expect, it } from 'vitest';
import { cellPosition, gridWindow } from '../../../web/src/library/grid-window';
import { combineQueries, filtersQuery, quote } from '../../../web/src/library/search-query';
import { transformation, withTransformation } from '../../../web/src/library/transformation';

describe('the grid window', () => {
  it('renders a few rows of 10 000 files wherever the grid is scrolled', () => {
    const cell = 160;
    const at = (scrollTop: number) => gridWindow({ scrollTop, viewportHeight: 800, width: 1000, cell, total: 10_000, overscanRows: 2 });
    const top = at(0);
    expect(top.columns).toBe(6);
    expect(top).toMatchObject({ start: 0, end: (5 + 2) * 6, height: Math.ceil(10_000 / 6) * cell });
    const middle = at(100_000);
    // Row 625 is at the top of the viewport; two rows of overscan above and below the five visible rows.
    expect(middle.start).toBe((625 - 2) * 6);
    expect(middle.end).toBe((625 + 5 + 2) * 6);
    const bottom = at(top.height - 800);
    expect(bottom.end).toBe(10_000);
    expect(bottom.end - bottom.start).toBeLessThanOrEqual(9 * 6);
  });

  it('has at least one column and places cells row by row', () => {
    expect(gridWindow({ scrollTop: 0, viewportHeight: 100, width: 50, cell: 160, total: 3 }).columns).toBe(1);
    expect(cellPosition(7, 3, 100)).toEqual({ top: 200, left: 100 });
    expect(gridWindow({ scrollTop: 0, viewportHeight: 500, width: 500, cell: 100, total: 0 })).toMatchObject({ start: 0, end: 0, height: 0 });
  });
});

describe('the search helper', () => {
  it('writes the filters in ImageKit query language', () => {
    expect(
      filtersQuery({ name: 'sum"mer', fileType: 'image', format: 'JPG', tags: ['a', ' b ', ''], createdWithin: '7d', minSizeMb: 2, private: 'false' }),
    ).toBe('name : "sum\\"mer" AND type = "image" AND format = "jpg" AND tags IN ["a", "b"] AND createdAt > "7d" AND size > "2mb" AND private = false');
    expect(filtersQuery({})).toBe('');
    expect(quote('a\\b')).toBe('"a\\\\b"');
  });

  it('keeps the typed query whole when adding the filters', () => {
    expect(combineQueries('tags IN ["x"] OR name : "y"', 'type = "image"')).toBe('(tags IN ["x"] OR name : "y") AND type = "image"');
    expect(combineQueries('  ', 'type = "image"')).toBe('type = "image"');
    expect(combineQueries('width > 10', '')).toBe('width > 10');
  });
});

describe('the transformation builder', () => {
  it('writes the chosen options as a tr chain', () => {
    expect(transformation({ width: 400, height: 300, crop: 'at_max', quality: 120, format: 'webp', blur: 5, grayscale: true, radius: 'max' })).toBe(
      'w-400,h-300,c-at_max,q-100,f-webp,bl-5,e-grayscale,r-max',
    );
    expect(transformation({ width: 0, height: null, crop: 'pad_resize' })).toBe('cm-pad_resize');
    expect(transformation({ width: 10, named: 'thumb' })).toBe('n-thumb');
  });

  it('adds tr to a delivery URL, keeping its other parameters', () => {
    expect(withTransformation('http://h/acme/a.jpg', 'w-10,h-20')).toBe('http://h/acme/a.jpg?tr=w-10,h-20');
    expect(withTransformation('http://h/acme/a.jpg?ik-obj-version=v1', 'n-x')).toBe('http://h/acme/a.jpg?ik-obj-version=v1&tr=n-x');
    expect(withTransformation('http://h/acme/a.jpg', '')).toBe('http://h/acme/a.jpg');
  });
});
