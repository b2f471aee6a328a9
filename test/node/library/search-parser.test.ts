/**
 * The searchQuery language (reference §5.1): tokens and their offsets, the parser's precedence and errors,
 * the bounds on a query, how fields and values compile to parameterised SQL, and the `sort` parameter.
 * The SQL itself is run against SQLite in test/workers/library/search-sql.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/http/errors';
import { compileSearch } from '../../../src/library/search/compile';
import { tokenize } from '../../../src/library/search/lexer';
import { parseSearch, type SearchNode } from '../../../src/library/search/parser';
import { orderBy, SORT_VALUES } from '../../../src/library/search/sort';
import { SEARCH_FIELDS, SEARCH_NOW } from '../../shared/search-fields';

const FIELDS = SEARCH_FIELDS;
const NOW = SEARCH_NOW;
const compile = (query: string) => compileSearch(query, { customFields: (name) => FIELDS[name], now: NOW });

/** The 400 a call throws; fails the test when it does not throw one. */
function errorOf(run: () => unknown): HttpError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
    return error as HttpError;
  }
  throw new Error('expected an HttpError');
}
const messageOf = (query: string) => errorOf(() => compile(query)).message;

/** A compact rendering of the tree: comparisons as `field op values`, groups as AND(...) / OR(...). */
function show(node: SearchNode): string {
  if (node.kind === 'comparison') {
    const values = node.values.map((v) => JSON.stringify(v.value)).join(',');
    return `${node.field} ${node.operator}${values ? ` ${values}` : ''}`;
  }
  return `${node.kind.toUpperCase()}(${node.children.map(show).join('; ')})`;
}

describe('lexer', () => {
  it('gives each token its kind, value and character offsets', () => {
    const tokens = tokenize('width>=100 AND "customMetadata.x" IN ["a", -1.5, true]');
    expect(tokens.map((t) => [t.kind, t.kind === 'end' ? null : t.value, t.start, t.end])).toEqual([
      ['word', 'width', 0, 5],
      ['symbol', '>=', 5, 7],
      ['number', 100, 7, 10],
      ['word', 'AND', 11, 14],
      ['string', 'customMetadata.x', 15, 33],
      ['word', 'IN', 34, 36],
      ['symbol', '[', 37, 38],
      ['string', 'a', 38, 41],
      ['symbol', ',', 41, 42],
      ['number', -1.5, 43, 47],
      ['symbol', ',', 47, 48],
      ['word', 'true', 49, 53],
      ['symbol', ']', 53, 54],
      ['end', null, 54, 54],
    ]);
  });

  it('reads \\" and \\\\ inside strings, and keeps the raw text', () => {
    const [token] = tokenize('"say \\"hi\\" C:\\\\dir"');
    expect(token).toMatchObject({ kind: 'string', value: 'say "hi" C:\\dir', text: '"say \\"hi\\" C:\\\\dir"' });
  });

  it('refuses a number too large to represent', () => {
    expect(messageOf(`width > ${'9'.repeat(400)}`)).toBe(`Invalid searchQuery at position 9: the number ${'9'.repeat(400)} is too large`);
  });

  it('treats a number glued to letters as a word, so "10kb" must be quoted', () => {
    expect(tokenize('10kb')[0]).toMatchObject({ kind: 'word', value: '10kb' });
    expect(messageOf('size > 10kb')).toBe(
      'Invalid searchQuery at position 8: expected a value after ">", found "10kb" (strings must be double-quoted)',
    );
  });

  it('points at an unterminated string, a bad escape and an unknown character', () => {
    expect(messageOf('name = "abc')).toBe(
      'Invalid searchQuery at position 8: unterminated string: expected a closing " before the end of the query',
    );
    expect(messageOf('name = "a\\nb"')).toMatch(/^Invalid searchQuery at position 10: unsupported escape/);
    expect(messageOf('name != "a"')).toBe(
      'Invalid searchQuery at position 6: unexpected character "!" (use NOT = or NOT IN)',
    );
    expect(messageOf("name = 'a'")).toMatch(/position 8: unexpected character "'" \(strings are double-quoted\)/);
  });
});

describe('parser', () => {
  it('binds AND tighter than OR, and parentheses override it', () => {
    expect(show(parseSearch('name = "a" OR name = "b" AND size > 1'))).toBe(
      'OR(name = "a"; AND(name = "b"; size > 1))',
    );
    expect(show(parseSearch('(name = "a" OR name = "b") AND size > 1'))).toBe(
      'AND(OR(name = "a"; name = "b"); size > 1)',
    );
    expect(show(parseSearch('name = "a" AND size > 1 OR width < 2 AND height <= 3 OR private = false'))).toBe(
      'OR(AND(name = "a"; size > 1); AND(width < 2; height <= 3); private = false)',
    );
  });

  it('reads every operator, with keywords in any case', () => {
    const query = [
      'a = 1', 'b : "x"', 'c < 1', 'd <= 1', 'e > 1', 'f >= 1', 'g in ["x", "y"]', 'h Not In [1]', 'i not = "x"',
      'j has "x"', 'k exists', 'l NOT EXISTS', 'm = TRUE', 'n = False',
    ].join(' and ');
    expect(show(parseSearch(query))).toBe(
      'AND(a = 1; b : "x"; c < 1; d <= 1; e > 1; f >= 1; g IN "x","y"; h NOT IN 1; i NOT = "x"; j HAS "x"; ' +
        'k EXISTS; l NOT EXISTS; m = true; n = false)',
    );
  });

  it('keeps field and operator positions for later errors', () => {
    const node = parseSearch('  "customMetadata.brand"  NOT IN ["x"]');
    expect(node).toMatchObject({ kind: 'comparison', field: 'customMetadata.brand', position: 2, operatorPosition: 26 });
  });

  it('requires dotted field names to be quoted', () => {
    expect(messageOf('customMetadata.brand = "x"')).toBe(
      'Invalid searchQuery at position 1: field names with a dot must be double-quoted, as in "customMetadata.brand"',
    );
  });

  it.each([
    ['published   =', 'position 14: expected a value after "=", found end of query'],
    ['', 'position 1: expected a field name or "(", found end of query'],
    ['name = "a" AND', 'position 15: expected a field name or "(" after "AND", found end of query'],
    ['name = "a" OR OR name = "b"', 'position 15: expected a field name or "(" after "OR", found "OR"'],
    ['name "a"', 'position 6: expected an operator (=, :, <, <=, >, >=, IN, NOT IN, NOT =, HAS, EXISTS or NOT EXISTS) after "name", found "a"'],
    ['name NOT < "a"', 'position 10: expected =, IN or EXISTS after "NOT", found "<"'],
    ['tags IN "a"', 'position 9: expected "[" after "IN", found "a"'],
    ['tags IN []', 'position 10: expected a value after "[", found "]"'],
    ['tags IN ["a" "b"]', 'position 14: expected "," or "]" after "a", found "b"'],
    ['tags IN ["a",]', 'position 14: expected a value after ",", found "]"'],
    ['(name = "a"', 'position 12: expected AND, OR or ")" after "a", found end of query (the "(" at position 1 is not closed)'],
    ['name = "a")', 'position 11: expected AND, OR or the end of the query, found a ")" without a matching "("'],
    ['name = "a" name = "b"', 'position 12: expected AND, OR or the end of the query, found "name"'],
    ['AND = 1', 'position 1: expected a field name or "(", found "AND"'],
    ['()', 'position 2: expected a field name or "(" after "(", found ")"'],
  ])('%j fails at the right place', (query, message) => {
    expect(messageOf(query)).toBe(`Invalid searchQuery at ${message}`);
  });
});

describe('bounds', () => {
  const comparisons = (n: number) => Array.from({ length: n }, (_, i) => `width = ${i}`).join(' OR ');

  it('accepts 4000 characters and refuses one more', () => {
    const padded = (length: number) => `name = "${'x'.repeat(length - 9)}"`;
    expect(padded(4000)).toHaveLength(4000);
    expect(() => compile(padded(4000))).not.toThrow();
    expect(messageOf(padded(4001))).toBe('Invalid searchQuery at position 4001: the query is longer than 4000 characters');
  });

  it('accepts 100 comparisons and refuses the 101st, where it starts', () => {
    const tagChecks = (n: number) => Array.from({ length: n }, () => 'tags EXISTS').join(' OR ');
    expect(() => compile(tagChecks(100))).not.toThrow();
    const query = tagChecks(101);
    expect(messageOf(query)).toBe(
      `Invalid searchQuery at position ${query.lastIndexOf('tags') + 1}: the query has more than 100 comparisons`,
    );
  });

  it('binds at most 90 values, counting a list as one', () => {
    expect(compile(comparisons(90)).params).toHaveLength(90);
    const query = comparisons(91);
    expect(messageOf(query)).toBe(
      `Invalid searchQuery at position ${query.lastIndexOf('width') + 1}: the query needs more than 90 values; put values of one field in an IN list`,
    );
    const lists = Array.from({ length: 45 }, (_, i) => `"customMetadata.brand" IN ["a${i}", "b${i}", "c${i}"]`);
    expect(compile(lists.join(' OR ')).params).toHaveLength(90);
  });

  it('accepts 20 levels of parentheses and refuses the 21st', () => {
    const nested = (depth: number) => `${'('.repeat(depth)}width = 1${')'.repeat(depth)}`;
    expect(compile(nested(20)).where).toBe(`(width = ?)`);
    expect(messageOf(nested(21))).toBe('Invalid searchQuery at position 21: parentheses are nested more than 20 levels deep');
  });

  it('accepts 100 list items and refuses the 101st', () => {
    const list = (n: number) => `tags IN [${Array.from({ length: n }, (_, i) => `"t${i}"`).join(', ')}]`;
    expect(() => compile(list(100))).not.toThrow();
    const query = list(101);
    expect(messageOf(query)).toBe(
      `Invalid searchQuery at position ${query.indexOf('"t100"') + 1}: a list has more than 100 values`,
    );
  });
});

describe('compile', () => {
  it('keeps every value out of the SQL text', () => {
    const evil = `x' OR 1=1; DROP TABLE files; --`;
    const { where, params } = compile(
      `name = "${evil}" OR tags IN ["${evil}"] OR "customMetadata.brand" : "${evil}" OR name HAS "${evil}"`,
    );
    expect(where).not.toContain('DROP');
    expect(where).not.toContain('1=1');
    expect(params).toContain(evil);
    expect(where.split('?').length - 1).toBe(params.length);
  });

  it('compiles plain fields to their columns', () => {
    expect(compile('name = "a.jpg"')).toEqual({ where: '(name = ?)', params: ['a.jpg'], mentionsType: false });
    expect(compile('id IN ["f1", "f2"]')).toMatchObject({
      where: '(id IN (SELECT q.value FROM json_each(?) AS q))',
      params: ['["f1","f2"]'],
    });
    expect(compile('width >= 100 AND height < 50')).toMatchObject({
      where: '((width >= ?) AND (height < ?))',
      params: [100, 50],
    });
    expect(compile('private = true AND published = false AND transparency NOT = true').params).toEqual([1, 0, 1]);
    expect(compile('name NOT = "a"').where).toBe('(NOT coalesce(name = ?, 0))');
  });

  it('joins AND / OR as a balanced tree, keeping the query order', () => {
    expect(compile('width = 1 AND width = 2 AND width = 3')).toMatchObject({
      where: '(((width = ?) AND (width = ?)) AND (width = ?))',
      params: [1, 2, 3],
    });
    const maxDepth = (where: string) => {
      let depth = 0;
      let max = 0;
      for (const ch of where) {
        depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
        max = Math.max(max, depth);
      }
      return max;
    };
    const flat = compile(Array.from({ length: 64 }, (_, i) => `width = ${i}`).join(' OR '));
    expect(maxDepth(flat.where)).toBe(7);
    expect(flat.params).toEqual(Array.from({ length: 64 }, (_, i) => i));
    // A deeper group is joined last (out of order), so each level of parentheses adds about one level.
    const w = '(width = ?)';
    expect(compile('width = 1 AND width = 2 AND (width = 3 OR width = 4 OR width = 7 OR width = 8) AND width = 5 AND width = 6')).toEqual({
      where: `(((${w} AND ${w}) AND (${w} AND ${w})) AND ((${w} OR ${w}) OR (${w} OR ${w})))`,
      params: [1, 2, 5, 6, 3, 4, 7, 8],
      mentionsType: false,
    });
  });

  it('uses a case-sensitive GLOB for prefixes, with its special characters escaped', () => {
    expect(compile('name : "a*b?[c]"')).toMatchObject({ where: '(name GLOB ?)', params: ['a[*]b[?][[]c]*'] });
  });

  it('splits HAS into words, folding ASCII case', () => {
    const { params } = compile('name HAS "Summer-BE"');
    expect(params).toEqual(['[" summer "," be"]']);
    expect(messageOf('name HAS "--"')).toBe('Invalid searchQuery at position 10: "name" HAS needs at least one letter or digit');
  });

  it('reports mentionsType only when the query constrains type', () => {
    expect(compile('type = "folder"')).toMatchObject({ where: '(type = ?)', params: ['folder'], mentionsType: true });
    expect(compile('name = "a" OR type IN ["file", "file-version"]').mentionsType).toBe(true);
    expect(compile('name = "type"').mentionsType).toBe(false);
    expect(messageOf('type = "all"')).toBe(
      'Invalid searchQuery at position 8: "type" expects one of "file", "file-version", "folder", found "all"',
    );
  });

  it('reads sizes in bytes or 1024-based units', () => {
    expect(compile('size > 2048').params).toEqual([2048]);
    expect(compile('size > "10kb" AND size < "1.5MB" AND size <= "1gb" AND size >= "7b"').params).toEqual([
      10 * 1024,
      1.5 * 1024 * 1024,
      1024 ** 3,
      7,
    ]);
    expect(messageOf('size > "10 parsecs"')).toMatch(/^Invalid searchQuery at position 8: "size" expects a size/);
    expect(messageOf('size > -1')).toMatch(/"size" expects a size in bytes/);
  });

  it('lowercases formats and reads jpeg as jpg', () => {
    expect(compile('format IN ["JPEG", "png"]').params).toEqual(['["jpg","png"]']);
  });

  it('normalises folder paths', () => {
    expect(compile('path = "a/b"')).toMatchObject({ where: '(folder = ?)', params: ['/a/b/'] });
    expect(compile('path : "/a//b/"')).toMatchObject({ where: '(folder GLOB ?)', params: ['/a/b/*'] });
    expect(compile('path IN ["/", "", "x"]').params).toEqual(['["/","/","/x/"]']);
  });

  it('reads ISO dates as spans and relative dates back from now', () => {
    const day = Date.UTC(2024, 4, 1);
    expect(compile('createdAt = "2024-05-01"')).toMatchObject({
      where: '(created_at BETWEEN ? AND ?)',
      params: [day, day + 86_400_000 - 1],
    });
    expect(compile('updatedAt > "2024-05-01T10:20:30Z"')).toMatchObject({
      where: '(updated_at >= ?)',
      params: [Date.UTC(2024, 4, 1, 10, 20, 30) + 1000],
    });
    expect(compile('createdAt <= "2024-05-01"').params).toEqual([day + 86_400_000]);
    const hour = 3_600_000;
    const units: [string, number][] = [['1h', hour], ['2d', 48 * hour], ['3w', 21 * 24 * hour], ['4m', 120 * 24 * hour], ['1y', 365 * 24 * hour]];
    for (const [text, ago] of units) {
      expect(compile(`createdAt >= "${text}"`).params).toEqual([NOW - ago]);
    }
    // "more recent than 7 days ago" excludes the very instant.
    expect(compile('createdAt > "7d"').params).toEqual([NOW - 7 * 24 * hour + 1]);
  });

  it.each([
    ['createdAt > "2024-02-30"', 13],
    ['createdAt > "2024-05-01T25:00:00"', 13],
    ['createdAt > "yesterday"', 13],
    ['updatedAt < 1714521600000', 13],
  ])('refuses the date in %j', (query, position) => {
    expect(messageOf(query)).toMatch(new RegExp(`^Invalid searchQuery at position ${position}: "(created|updated)At" expects a date`));
  });

  it.each([
    ['colour = "red"', 1, /unknown field "colour"; searchable fields are name, id, type, tags/],
    ['tags = "a"', 6, /"tags" does not support =; use IN, NOT IN, HAS, EXISTS, NOT EXISTS/],
    ['format : "jp"', 8, /"format" does not support :/],
    ['width = "10"', 9, /"width" expects a number, found "10"/],
    ['name = 10', 8, /"name" expects a double-quoted string, found 10/],
    ['private = "yes"', 11, /"private" expects true or false, found "yes"/],
    ['path : 1', 8, /"path" expects a double-quoted string, found 1/],
  ])('%j names the field', (query, position, message) => {
    const text = messageOf(query);
    expect(text.startsWith(`Invalid searchQuery at position ${position}: `)).toBe(true);
    expect(text).toMatch(message);
  });
});

describe('custom and embedded metadata', () => {
  it('binds the JSON path and types values by the field schema', () => {
    expect(compile('"customMetadata.brand" = "nike"')).toMatchObject({
      where: '(json_extract(custom_metadata, ?) = ?)',
      params: ['$."brand"', 'nike'],
    });
    expect(compile('"customMetadata.price" > 10').params).toEqual(['$."price"', 10]);
    expect(compile('"customMetadata.onSale" = true').params).toEqual(['$."onSale"', 1]);
    expect(compile('"customMetadata.color" IN ["red", 3, false]').params).toEqual(['$."color"', '["red",3,0]']);
    expect(compile('"customMetadata.sizes" IN ["M"]')).toMatchObject({
      where: '(EXISTS (SELECT 1 FROM json_each(custom_metadata, ?) AS m WHERE m.value IN (SELECT q.value FROM json_each(?) AS q)))',
      params: ['$."sizes"', '["M"]'],
    });
  });

  it.each([
    ['"customMetadata.nope" = "x"', 1, 'unknown custom metadata field "nope" in "customMetadata.nope"'],
    ['"customMetadata.a\\"b" = "x"', 1, '"customMetadata.a"b": the name after "customMetadata." may only have letters, digits, _ and -'],
    ['"customMetadata." = "x"', 1, '"customMetadata.": the name after "customMetadata." may only have letters, digits, _ and -'],
    ['"customMetadata.price" = "10"', 26, '"customMetadata.price" expects a number, found "10"'],
    ['"customMetadata.price" NOT = 1', 24, '"customMetadata.price" does not support NOT =; use =, <, <=, >, >=, EXISTS, NOT EXISTS'],
    ['"customMetadata.onSale" : "t"', 25, '"customMetadata.onSale" does not support :; use =, EXISTS, NOT EXISTS'],
    ['"customMetadata.brand" > "a"', 24, '"customMetadata.brand" does not support >'],
    ['"customMetadata.sizes" = "M"', 24, '"customMetadata.sizes" does not support =; use IN, NOT IN, EXISTS, NOT EXISTS'],
    ['"customMetadata.color" : 3', 26, '"customMetadata.color" expects a double-quoted string, found 3'],
    ['"customMetadata.launch" > 5', 27, '"customMetadata.launch" expects a date'],
    ['"embeddedMetadata.Make" : "Can"', 25, '"embeddedMetadata.Make" does not support :'],
    ['"embeddedMetadata.x.y" = 1', 1, '"embeddedMetadata.x.y": the name after "embeddedMetadata." may only have letters, digits, _ and -'],
  ])('%j is refused', (query, position, message) => {
    expect(messageOf(query)).toContain(`Invalid searchQuery at position ${position}: ${message}`);
  });

  it('compares embedded date keys as dates, EXIF colons included', () => {
    const { where, params } = compile('"embeddedMetadata.DateTimeOriginal" < "2020-01-01"');
    expect(where).toContain("replace(substr(e.value, 1, 10), ':', '-')");
    expect(where).toContain('FROM json_each(embedded_metadata, ?) AS e');
    expect(params).toEqual(['$."DateTimeOriginal"', Date.UTC(2020, 0, 1)]);
  });
});

describe('sort', () => {
  it('defaults to oldest first, with the id as tiebreak', () => {
    expect(orderBy(undefined)).toBe('ORDER BY created_at ASC NULLS LAST, id ASC');
    expect(orderBy('')).toBe('ORDER BY created_at ASC NULLS LAST, id ASC');
  });

  it('maps every accepted value, in any case', () => {
    expect(SORT_VALUES).toHaveLength(18);
    expect(orderBy('desc_name')).toBe('ORDER BY name COLLATE NOCASE DESC NULLS LAST, id DESC');
    expect(orderBy('DESC_RELEVANCE')).toBe(orderBy('DESC_CREATED'));
    expect(orderBy('ASC_SIZE')).toBe('ORDER BY size ASC NULLS LAST, id ASC');
    expect(orderBy('DESC_ORIGINAL_CREATION_DATE')).toContain("json_extract(embedded_metadata, '$.DateTimeOriginal') DESC");
    for (const value of SORT_VALUES) expect(orderBy(value)).toMatch(/^ORDER BY .+ (ASC|DESC) NULLS LAST, id (ASC|DESC)$/);
  });

  it.each(['NAME', 'UP_NAME', 'ASC_COLOR', 'ASC_CREATED; DROP TABLE files', 'ASC_toString'])(
    'refuses %j, naming sort and the accepted values',
    (value) => {
      const error = errorOf(() => orderBy(value));
      expect(error.message).toContain(`Invalid sort ${JSON.stringify(value)}`);
      expect(error.message).toContain('ASC_NAME, DESC_NAME, ASC_CREATED');
      expect(error.message).toContain('DESC_ORIGINAL_CREATION_DATE');
    },
  );
});
