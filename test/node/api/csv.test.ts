import { describe, expect, it } from 'vitest';
import { toCsv } from '../../../src/api/csv';

describe('CSV export', () => {
  it('quotes commas, quotes and line breaks, and leaves plain fields alone', () => {
    const rows = [
      { value: 'plain.example', count: 3 },
      { value: 'a,b', count: 2 },
      { value: 'say "hi"', count: 1 },
      { value: 'two\nlines', count: 0 },
      { value: 'cr\rhere', count: 0 },
    ];
    expect(toCsv(['value', 'count'], rows)).toBe('value,count\nplain.example,3\n"a,b",2\n"say ""hi""",1\n"two\nlines",0\n"cr\rhere",0\n');
  });

  it('defuses text a spreadsheet would run as a formula, but not negative numbers', () => {
    const rows = [{ v: '=1+1' }, { v: '+cmd' }, { v: '-x' }, { v: '@SUM(A1)' }, { v: '\tx' }, { v: -5 }, { v: '=HYPERLINK("a","b")' }];
    expect(toCsv(['v'], rows).split('\n')).toEqual(["v", "'=1+1", "'+cmd", "'-x", "'@SUM(A1)", "'\tx", '-5', '"\'=HYPERLINK(""a"",""b"")"', '']);
  });

  it('writes missing fields empty and only the columns asked for', () => {
    expect(toCsv(['a', 'b'], [{ a: 1, c: 'ignored' }, { b: null }])).toBe('a,b\n1,\n,\n');
  });
});
