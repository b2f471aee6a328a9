/**
 * Compiles a searchQuery into a parameterised SQLite boolean expression over the `assets` view
 * (src/library/schema.ts). Every value from the query becomes a `?` parameter; the SQL text only ever holds
 * column names, operators and constants written in this file.
 *
 * Field rules follow ImageKit's search documentation. Negated operators (NOT =, NOT IN, NOT EXISTS) are true when the value
 * is missing: `"customMetadata.brand" NOT = "nike"` matches a file without a brand.
 */
import { parseSearch, type Comparison, type Operator, type SearchNode, type Value } from './parser';
import { SEARCH_LIMITS, searchError, type CustomFieldType } from './types';

export interface SearchOptions {
  /** The schema type of a (not deleted) custom metadata field, or undefined when there is no such field. */
  customFields: (name: string) => CustomFieldType | undefined;
  /** Milliseconds since the epoch; relative dates ("7d") count back from it. */
  now: number;
}

export interface CompiledSearch {
  where: string;
  params: (string | number)[];
  /** The query constrains `type`, so the caller must not add its default `type = 'file'`. */
  mentionsType: boolean;
}

export function compileSearch(query: string, options: SearchOptions): CompiledSearch {
  const state: State = { options, mentionsType: false, params: 0 };
  const compiled = compileNode(parseSearch(query), state).sql;
  return { where: compiled.text, params: [...compiled.params], mentionsType: state.mentionsType };
}

interface State {
  options: SearchOptions;
  mentionsType: boolean;
  /** Values bound so far, checked against SEARCH_LIMITS.params. */
  params: number;
}

/** SQL with the depth of its AND / OR tree (a comparison counts as 0). */
interface Tree {
  sql: Sql;
  depth: number;
}

function compileNode(node: SearchNode, state: State): Tree {
  if (node.kind === 'comparison') {
    const rule = ruleFor(node, state);
    if (!rule.operators.includes(node.operator)) {
      throw searchError(
        node.operatorPosition,
        `"${node.field}" does not support ${node.operator}; use ${rule.operators.join(', ')}`,
      );
    }
    const compiled = rule.compile(node, state.options.now);
    state.params += compiled.params.length;
    if (state.params > SEARCH_LIMITS.params) {
      throw searchError(
        node.position,
        `the query needs more than ${SEARCH_LIMITS.params} values; put values of one field in an IN list`,
      );
    }
    return { sql: sql`(${compiled})`, depth: 0 };
  }
  return balance(
    node.children.map((child) => compileNode(child, state)),
    node.kind === 'and' ? 'AND' : 'OR',
  );
}

/**
 * Joins terms with AND / OR as a balanced tree rather than SQLite's left-deep chain: Durable Object SQLite
 * refuses expressions more than 100 levels deep, and 100 ORed comparisons would be exactly that. The two
 * shallowest terms are joined first (keeping their order), so nested groups add about one level each.
 */
function balance(terms: Tree[], operator: 'AND' | 'OR'): Tree {
  const nodes = [...terms];
  while (nodes.length > 1) {
    const byDepth = nodes.map((_, i) => i).sort((a, b) => nodes[a]!.depth - nodes[b]!.depth || a - b);
    const first = Math.min(byDepth[0]!, byDepth[1]!);
    const second = Math.max(byDepth[0]!, byDepth[1]!);
    const [left, right] = [nodes[first]!, nodes[second]!];
    const depth = Math.max(left.depth, right.depth) + 1;
    nodes[first] = { sql: sql`(${left.sql} ${raw(operator)} ${right.sql})`, depth };
    nodes.splice(second, 1);
  }
  return nodes[0]!;
}

// ---------------------------------------------------------------------------------------------------------
// SQL fragments

type Param = string | number;

class Sql {
  constructor(
    readonly text: string,
    readonly params: readonly Param[],
  ) {}
}

/** Template tag: interpolated JS values become `?` parameters, interpolated Sql fragments are spliced in. */
function sql(strings: TemplateStringsArray, ...parts: (Param | Sql)[]): Sql {
  let text = strings[0]!;
  const params: Param[] = [];
  parts.forEach((part, i) => {
    if (part instanceof Sql) {
      text += part.text;
      params.push(...part.params);
    } else {
      text += '?';
      params.push(part);
    }
    text += strings[i + 1]!;
  });
  return new Sql(text, params);
}

/** SQL text written in this file (column names, operators); never for anything taken from the query. */
const raw = (text: string) => new Sql(text, []);

/** A list of values bound as one JSON array, so a long IN list costs one parameter. */
const list = (values: Param[]) => sql`(SELECT q.value FROM json_each(${JSON.stringify(values)}) AS q)`;

/** True when `condition` is false or NULL (a missing value). */
const not = (condition: Sql) => sql`NOT coalesce(${condition}, 0)`;

/** GLOB is case-sensitive (LIKE is not); `*`, `?` and `[` in the prefix are matched literally. */
const globPrefix = (prefix: string) => `${prefix.replace(/[*?[]/g, '[$&]')}*`;

/** `column op value(s)` for the operators every plain field shares. */
function compare(column: Sql, operator: Operator, values: Param[]): Sql {
  const [value = ''] = values;
  switch (operator) {
    case '=':
      return sql`${column} = ${value}`;
    case 'NOT =':
      return not(sql`${column} = ${value}`);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return sql`${column} ${raw(operator)} ${value}`;
    case ':':
      return sql`${column} GLOB ${globPrefix(String(value))}`;
    case 'IN':
      return sql`${column} IN ${list(values)}`;
    case 'NOT IN':
      return not(sql`${column} IN ${list(values)}`);
    case 'EXISTS':
      return sql`${column} IS NOT NULL`;
    case 'NOT EXISTS':
      return sql`${column} IS NULL`;
    case 'HAS':
      throw new Error('HAS is compiled by the fields that support it');
  }
}

// ---------------------------------------------------------------------------------------------------------
// Fields

interface Rule {
  operators: readonly Operator[];
  compile: (c: Comparison, now: number) => Sql;
}

const EQUALITY: readonly Operator[] = ['=', 'NOT =', 'IN', 'NOT IN'];
const RANGES: readonly Operator[] = ['<', '<=', '>', '>='];
const EXISTENCE: readonly Operator[] = ['EXISTS', 'NOT EXISTS'];

type Convert = (value: Value, c: Comparison) => Param;

/** A field stored in one column (or one JSON value) compared with `compare`. */
function scalar(column: Sql, operators: readonly Operator[], convert: Convert): Rule {
  return {
    operators,
    compile: (c) => {
      const values = c.values.map((v) => {
        // A prefix only makes sense for text, whatever else the field accepts.
        if (c.operator === ':') asString(v, c);
        return convert(v, c);
      });
      return compare(column, c.operator, values);
    },
  };
}

const FIELDS: Record<string, Rule> = {
  name: withHas(scalar(raw('name'), [...EQUALITY, ':', 'HAS'], asString), (c) => hasWords(raw('name'), c)),
  id: scalar(raw('id'), EQUALITY, asString),
  type: scalar(raw('type'), EQUALITY, oneOf(['file', 'file-version', 'folder'])),
  tags: {
    operators: ['IN', 'NOT IN', 'HAS', ...EXISTENCE],
    compile: compileTags,
  },
  createdAt: dates(raw('created_at'), ['=', 'NOT =', ...RANGES]),
  updatedAt: dates(raw('updated_at'), ['=', 'NOT =', ...RANGES]),
  width: scalar(raw('width'), [...EQUALITY, ...RANGES], asNumber),
  height: scalar(raw('height'), [...EQUALITY, ...RANGES], asNumber),
  size: scalar(raw('size'), [...EQUALITY, ...RANGES], asSize),
  format: scalar(raw('format'), EQUALITY, asFormat),
  private: scalar(raw('is_private'), ['=', 'NOT ='], asBoolean),
  published: scalar(raw('is_published'), ['=', 'NOT ='], asBoolean),
  transparency: scalar(raw('has_alpha'), ['=', 'NOT ='], asBoolean),
  // `folder` is a file's parent folder (a folder's parent for folders), always with both slashes.
  path: scalar(raw('folder'), [...EQUALITY, ':'], asFolder),
};

const KNOWN_FIELDS = [...Object.keys(FIELDS), '"customMetadata.<field>"', '"embeddedMetadata.<key>"'].join(', ');
const CUSTOM = 'customMetadata.';
const EMBEDDED = 'embeddedMetadata.';

function ruleFor(c: Comparison, state: State): Rule {
  if (c.field.startsWith(CUSTOM)) return customMetadataRule(c, state.options);
  if (c.field.startsWith(EMBEDDED)) return embeddedMetadataRule(c);
  if (!Object.hasOwn(FIELDS, c.field)) {
    throw searchError(c.position, `unknown field "${c.field}"; searchable fields are ${KNOWN_FIELDS}`);
  }
  if (c.field === 'type') state.mentionsType = true;
  return FIELDS[c.field]!;
}

function withHas(rule: Rule, has: (c: Comparison) => Sql): Rule {
  return { operators: rule.operators, compile: (c, now) => (c.operator === 'HAS' ? has(c) : rule.compile(c, now)) };
}

/** Tags match both the file's own tags and the names of its AI tags. */
function compileTags(c: Comparison): Sql {
  switch (c.operator) {
    case 'IN':
    case 'NOT IN': {
      const match = anyTag((tag) => sql`${tag} IN ${list(c.values.map((v) => asString(v, c)))}`);
      return c.operator === 'IN' ? match : not(match);
    }
    case 'HAS':
      return anyTag((tag) => hasWords(tag, c));
    default: {
      const exists = sql`(json_array_length(tags) > 0 OR coalesce(json_array_length(ai_tags), 0) > 0)`;
      return c.operator === 'EXISTS' ? exists : not(exists);
    }
  }
}

/** One row per tag and AI tag name of the asset, so a predicate on `tag` binds its values once. */
const ALL_TAGS = raw(
  'SELECT t.value AS tag FROM json_each(tags) AS t ' +
    "UNION ALL SELECT json_extract(a.value, '$.name') FROM json_each(ai_tags) AS a",
);

function anyTag(predicate: (tag: Sql) => Sql): Sql {
  return sql`EXISTS (SELECT 1 FROM (${ALL_TAGS}) WHERE ${predicate(raw('tag'))})`;
}

/** Characters that separate words in names and tags, besides spaces. */
const WORD_SEPARATORS = ['-', '_', '.', ',', '(', ')', '/', '+'];

/**
 * HAS: every word of the value appears as a whole word of the text, the last one as a word prefix, ignoring
 * (ASCII) case; `name HAS "summer be"` matches "Summer_beach.jpg". SQLite's lower() folds ASCII only, so the
 * words are folded the same way. The words go in as one JSON list, so the SQL does not grow with their number.
 */
function hasWords(text: Sql, c: Comparison): Sql {
  const value = c.values[0]!;
  const words = (asString(value, c).match(/[\p{L}\p{N}]+/gu) ?? []).map((w) =>
    w.replace(/[A-Z]/g, (ch) => ch.toLowerCase()),
  );
  if (words.length === 0) throw searchError(value.position, `"${c.field}" HAS needs at least one letter or digit`);
  const needles = words.map((word, i) => (i === words.length - 1 ? ` ${word}` : ` ${word} `));
  const spaced = WORD_SEPARATORS.reduce((expr, sep) => sql`replace(${expr}, ${raw(`'${sep}'`)}, ' ')`, text);
  const haystack = sql`' ' || lower(${spaced}) || ' '`;
  return sql`NOT EXISTS (SELECT 1 FROM json_each(${JSON.stringify(needles)}) AS w WHERE instr(${haystack}, w.value) = 0)`;
}

/** A custom metadata field takes the operators and values of its schema type. */
function customMetadataRule(c: Comparison, options: SearchOptions): Rule {
  const name = metadataKey(c, CUSTOM);
  const type = options.customFields(name);
  if (type === undefined) throw searchError(c.position, `unknown custom metadata field "${name}" in "${c.field}"`);
  const value = sql`json_extract(custom_metadata, ${jsonPath(name)})`;
  switch (type) {
    case 'Text':
    case 'Textarea':
      return scalar(value, [...EQUALITY, ':', ...EXISTENCE], asString);
    case 'Number':
      return scalar(value, ['=', ...RANGES, ...EXISTENCE], asNumber);
    case 'Date':
      return dates(isoDateMs(value), ['=', ...RANGES, ...EXISTENCE]);
    case 'Boolean':
      return scalar(value, ['=', ...EXISTENCE], asBoolean);
    case 'SingleSelect':
      return scalar(value, ['=', ':', 'IN', ...RANGES, ...EXISTENCE], asAny);
    case 'MultiSelect':
      return members(sql`custom_metadata, ${jsonPath(name)}`, scalar(value, ['IN', 'NOT IN', ...EXISTENCE], asAny));
  }
}

/**
 * Embedded (EXIF/IPTC/XMP) metadata. Keys with "Date" in their name compare as dates; `=` and IN also match
 * an element of a list such as Keywords.
 */
function embeddedMetadataRule(c: Comparison): Rule {
  const key = metadataKey(c, EMBEDDED);
  const value = sql`json_extract(embedded_metadata, ${jsonPath(key)})`;
  if (/date/i.test(key)) return dates(embeddedDateMs(key), ['=', 'NOT =', ...RANGES, ...EXISTENCE]);
  return members(
    sql`embedded_metadata, ${jsonPath(key)}`,
    scalar(value, [...EQUALITY, ...RANGES, ...EXISTENCE], asAny),
  );
}

/** `=` / IN (and their negations) match any element of a JSON array, or the value itself when it is not one. */
function members(jsonEachArgs: Sql, rule: Rule): Rule {
  return {
    operators: rule.operators,
    compile: (c, now) => {
      if (!EQUALITY.includes(c.operator)) return rule.compile(c, now);
      const values = c.values.map((v) => asAny(v));
      const match = sql`EXISTS (SELECT 1 FROM json_each(${jsonEachArgs}) AS m WHERE m.value IN ${list(values)})`;
      return c.operator === '=' || c.operator === 'IN' ? match : not(match);
    },
  };
}

const METADATA_KEY = /^[A-Za-z0-9_-]+$/;

function metadataKey(c: Comparison, prefix: string): string {
  const key = c.field.slice(prefix.length);
  if (!METADATA_KEY.test(key)) {
    throw searchError(c.position, `"${c.field}": the name after "${prefix}" may only have letters, digits, _ and -`);
  }
  return key;
}

/** The key is checked against METADATA_KEY, so it needs no escaping inside the quotes. */
const jsonPath = (key: string) => `$."${key}"`;

// ---------------------------------------------------------------------------------------------------------
// Dates

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RELATIVE_UNITS: Record<string, number> = { h: HOUR, d: DAY, w: 7 * DAY, m: 30 * DAY, y: 365 * DAY };

/** Milliseconds of an ISO 8601 text value (SQLite's date functions read it; second precision). */
const isoDateMs = (text: Sql) => sql`(strftime('%s', ${text}) * 1000)`;

/**
 * Milliseconds of an embedded metadata date, in ISO form or EXIF's "YYYY:MM:DD HH:MM:SS" (the date's colons
 * become dashes). json_each names the value once, so its path is bound once.
 */
function embeddedDateMs(key: string): Sql {
  const iso = raw("replace(substr(e.value, 1, 10), ':', '-') || substr(e.value, 11)");
  return sql`(SELECT ${isoDateMs(iso)} FROM json_each(embedded_metadata, ${jsonPath(key)}) AS e)`;
}

/**
 * A date value is the span it names: a whole day for "2024-05-01", a second for "2024-05-01T10:00:00", and
 * the instant `now - amount` for a relative "7d". `=` is "within the span", `>` "after all of it".
 */
function dates(column: Sql, operators: readonly Operator[]): Rule {
  return {
    operators,
    compile: (c, now) => {
      if (c.operator === 'EXISTS' || c.operator === 'NOT EXISTS') return compare(column, c.operator, []);
      const { start, end } = dateSpan(c.values[0]!, c, now);
      switch (c.operator) {
        // Times are whole milliseconds, so the span's last instant is end - 1.
        case '=':
          return sql`${column} BETWEEN ${start} AND ${end - 1}`;
        case 'NOT =':
          return not(sql`${column} BETWEEN ${start} AND ${end - 1}`);
        case '<':
          return sql`${column} < ${start}`;
        case '<=':
          return sql`${column} < ${end}`;
        case '>':
          return sql`${column} >= ${end}`;
        default:
          return sql`${column} >= ${start}`;
      }
    },
  };
}

const RELATIVE = /^(\d{1,6})([hdwmy])$/i;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})Z?)?$/;

function dateSpan(value: Value, c: Comparison, now: number): { start: number; end: number } {
  const what = 'a date: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS" or how long ago, as "1h", "2d", "3w", "4m" or "1y"';
  if (value.kind !== 'string') throw wrongValue(value, c, what);
  const relative = RELATIVE.exec(value.value);
  if (relative) {
    const at = now - Number(relative[1]) * RELATIVE_UNITS[relative[2]!.toLowerCase()]!;
    return { start: at, end: at + 1 };
  }
  const iso = ISO.exec(value.value);
  if (iso) {
    const [year, month, day, hour = 0, minute = 0, second = 0] = iso.slice(1).map((part) => Number(part ?? 0));
    const at = Date.UTC(year!, month! - 1, day!, hour, minute, second);
    const d = new Date(at);
    // Date.UTC rolls 2024-02-30 over into March; a real date reads back unchanged.
    const real =
      d.getUTCFullYear() === year &&
      d.getUTCMonth() === month! - 1 &&
      d.getUTCDate() === day &&
      d.getUTCHours() === hour &&
      d.getUTCMinutes() === minute &&
      d.getUTCSeconds() === second;
    if (real) return { start: at, end: at + (iso[4] === undefined ? DAY : 1000) };
  }
  throw wrongValue(value, c, what);
}

// ---------------------------------------------------------------------------------------------------------
// Values

function wrongValue(value: Value, c: Comparison, expected: string) {
  const shown = value.kind === 'string' ? JSON.stringify(value.value) : String(value.value);
  return searchError(value.position, `"${c.field}" expects ${expected}, found ${shown}`);
}

function asString(value: Value, c: Comparison): string {
  if (value.kind !== 'string') throw wrongValue(value, c, 'a double-quoted string');
  return value.value;
}

function asNumber(value: Value, c: Comparison): number {
  if (value.kind !== 'number') throw wrongValue(value, c, 'a number');
  return value.value;
}

/** Booleans are stored as 0 / 1. */
function asBoolean(value: Value, c: Comparison): number {
  if (value.kind !== 'boolean') throw wrongValue(value, c, 'true or false');
  return value.value ? 1 : 0;
}

/** JSON values read back from json_extract are text, numbers or 0 / 1 for booleans. */
function asAny(value: Value): Param {
  return value.kind === 'boolean' ? (value.value ? 1 : 0) : value.value;
}

function oneOf(accepted: readonly string[]): Convert {
  return (value, c) => {
    const text = value.kind === 'string' ? value.value : undefined;
    if (text === undefined || !accepted.includes(text)) {
      throw wrongValue(value, c, `one of ${accepted.map((a) => `"${a}"`).join(', ')}`);
    }
    return text;
  };
}

const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i;
const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Bytes, as a number or as "10kb", "1.5mb", "1gb" (1024-based). */
function asSize(value: Value, c: Comparison): number {
  const what = 'a size in bytes or as "10kb", "1.5mb", "1gb"';
  if (value.kind === 'number' && value.value >= 0) return value.value;
  const match = value.kind === 'string' ? SIZE.exec(value.value.trim()) : null;
  if (!match) throw wrongValue(value, c, what);
  return Math.round(Number(match[1]) * SIZE_UNITS[(match[2] ?? 'b').toLowerCase()]!);
}

/** Formats are stored lowercase, and JPEG files as "jpg". */
function asFormat(value: Value, c: Comparison): string {
  const format = asString(value, c).toLowerCase();
  return format === 'jpeg' ? 'jpg' : format;
}

/** "/a/b", "a/b/" and "/a//b/" all name the folder "/a/b/"; "" and "/" the root. */
function asFolder(value: Value, c: Comparison): string {
  const parts = asString(value, c).split('/').filter((part) => part !== '');
  return parts.length === 0 ? '/' : `/${parts.join('/')}/`;
}
