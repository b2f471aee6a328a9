/**
 * Compiled searchQuery SQL and sort orders run against real SQLite: the MediaLibrary schema (src/library/schema.ts)
 * is created in the private storage of a borrowed Durable Object, a few files, versions and folders are
 * inserted, and each query must return exactly the expected ids.
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSearch } from '../../../src/library/search/compile';
import { orderBy } from '../../../src/library/search/sort';
import { SEARCH_FIELDS, SEARCH_NOW } from '../../shared/search-fields';
import { MIGRATIONS } from '../../../src/library/schema';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = SEARCH_NOW;
const CUSTOM_FIELDS = SEARCH_FIELDS;

interface FileRow {
  id: string;
  path: string;
  tags: string[];
  aiTags: string[] | null;
  custom: Record<string, unknown>;
  embedded: Record<string, unknown>;
  width: number | null;
  height: number | null;
  size: number;
  format: string;
  hasAlpha: 0 | 1 | null;
  isPrivate: 0 | 1;
  isPublished: 0 | 1;
  createdAt: number;
}

const FILES: FileRow[] = [
  {
    id: 'f1', path: '/photos/summer_beach.jpg', tags: ['summer', 'beach'], aiTags: ['Sand', 'Ocean wave'],
    custom: { brand: 'nike', price: 120, launch: '2024-03-01', onSale: true, color: 'red', sizes: ['M', 'L'] },
    embedded: { Make: 'Canon', DateTimeOriginal: '2019:08:22 10:30:00', Keywords: ['sea', 'sun'], ISO: 100 },
    width: 1200, height: 800, size: 500 * 1024, format: 'jpg', hasAlpha: 0, isPrivate: 0, isPublished: 1,
    createdAt: NOW - DAY,
  },
  {
    id: 'f2', path: '/photos/2023/Winter.PNG', tags: [], aiTags: null,
    custom: { brand: 'Adidas', price: 80, launch: '2023-12-31T23:00:00.000Z', onSale: false, color: 'blue', sizes: ['S'] },
    embedded: { Make: 'Nikon', DateTimeOriginal: '2023-01-05T08:00:00Z' },
    width: 400, height: 300, size: 2 * 1024 * 1024, format: 'png', hasAlpha: 1, isPrivate: 1, isPublished: 1,
    createdAt: NOW - 40 * DAY,
  },
  {
    id: 'f3', path: '/docs/report.pdf', tags: ['work'], aiTags: ['Document'],
    custom: {}, embedded: {},
    width: null, height: null, size: 10 * 1024, format: 'pdf', hasAlpha: null, isPrivate: 0, isPublished: 0,
    createdAt: NOW - 400 * DAY,
  },
  {
    id: 'f4', path: '/summer-party.webp', tags: ['party', 'summer'], aiTags: [],
    custom: { brand: 'nike-sb', notes: 'Shot at night', price: 50.5 }, embedded: { Duration: 12.5 },
    width: 800, height: 800, size: 1.5 * 1024 * 1024, format: 'webp', hasAlpha: 1, isPrivate: 0, isPublished: 1,
    createdAt: NOW - 3 * HOUR,
  },
];

const stub = env.AUDIT_LOG.get(env.AUDIT_LOG.idFromName(`search-sql-${crypto.randomUUID()}`));

function seed(sql: SqlStorage): void {
  for (const migration of MIGRATIONS) sql.exec(migration);
  for (const f of FILES) {
    insertFile(sql, f, `${f.id}-v2`, 2);
  }
  // An older version of f1, with the tags it had then.
  insertVersion(sql, { ...FILES[0]!, tags: ['old'], size: 100 * 1024, createdAt: NOW - 10 * DAY }, 'v1a', 1);
  for (const [id, path, parent] of [
    ['d1', '/photos/', '/'],
    ['d2', '/photos/2023/', '/photos/'],
    ['d3', '/docs/', '/'],
  ] as const) {
    const name = path.split('/').at(-2)!;
    sql.exec('INSERT INTO folders VALUES (?, ?, ?, ?, ?, ?)', id, path, parent, name, NOW - 500 * DAY, NOW - 500 * DAY);
  }
}

function insertFile(sql: SqlStorage, f: FileRow, versionId: string, number: number): void {
  insertVersion(sql, f, versionId, number);
  const name = f.path.split('/').at(-1)!;
  const folder = f.path.slice(0, f.path.length - name.length);
  const aiTags = f.aiTags && JSON.stringify(f.aiTags.map((tag) => ({ name: tag, confidence: 90, source: 'test' })));
  sql.exec(
    'INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, ?, ?)',
    f.id, f.path, folder, name, versionId, f.isPrivate, f.isPublished, JSON.stringify(f.tags), aiTags,
    JSON.stringify(f.custom), f.createdAt, f.createdAt,
  );
}

function insertVersion(sql: SqlStorage, f: FileRow, id: string, number: number): void {
  const blob = `hash-${id}`;
  sql.exec('INSERT INTO blobs VALUES (?, ?, 0, ?)', blob, f.size, f.createdAt);
  sql.exec(
    // The last column, video, is NULL: these are images and documents.
    'INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, ?, ?, ?, ?, NULL)',
    id, f.id, number, blob, f.size, `application/${f.format}`, f.format, f.width === null ? 'non-image' : 'image',
    f.width, f.height, f.hasAlpha, JSON.stringify(f.embedded), f.path.split('/').at(-1)!, f.path,
    JSON.stringify(f.tags), JSON.stringify(f.custom), f.isPrivate, f.isPublished, f.createdAt, f.createdAt,
  );
}

/** Ids a search returns, as GET /v1/files would run it: only current files unless the query names a type. */
async function search(query: string, sort?: string): Promise<string[]> {
  const { where, params, mentionsType } = compileSearch(query, {
    customFields: (name) => CUSTOM_FIELDS[name],
    now: NOW,
  });
  const typeFilter = mentionsType ? '' : " AND type = 'file'";
  return runInDurableObject(stub, (_instance, state) =>
    state.storage.sql
      .exec<{ id: string }>(`SELECT id FROM assets WHERE ${where}${typeFilter} ${orderBy(sort)}`, ...params)
      .toArray()
      .map((row) => row.id),
  );
}

beforeAll(async () => {
  await runInDurableObject(stub, (_instance, state) => seed(state.storage.sql));
});

/** Each case: a query and the ids it must return, in any order. */
const cases = (rows: [string, string[]][]) =>
  it.each(rows)('%s', async (query, expected) => {
    expect((await search(query)).sort()).toEqual([...expected].sort());
  });

describe('name', () => {
  cases([
    ['name = "summer_beach.jpg"', ['f1']],
    ['name = "Summer_beach.jpg"', []],
    ['name NOT = "summer_beach.jpg"', ['f2', 'f3', 'f4']],
    ['name : "summer"', ['f1', 'f4']],
    ['name : "Summer"', []],
    ['name : "W*"', []],
    ['name IN ["report.pdf", "Winter.PNG", "nope"]', ['f2', 'f3']],
    ['name NOT IN ["report.pdf"]', ['f1', 'f2', 'f4']],
    ['name HAS "BEACH"', ['f1']],
    ['name HAS "sum"', ['f1', 'f4']],
    ['name HAS "summer part"', ['f4']],
    ['name HAS "ummer"', []],
    ['name HAS "winter png"', ['f2']],
    [`name = "x' OR '1'='1"`, []],
  ]);
});

describe('tags and AI tags', () => {
  cases([
    ['tags IN ["summer"]', ['f1', 'f4']],
    ['tags IN ["Sand"]', ['f1']],
    ['tags IN ["Document", "party"]', ['f3', 'f4']],
    ['tags IN ["sand"]', []],
    ['tags NOT IN ["summer"]', ['f2', 'f3']],
    ['tags EXISTS', ['f1', 'f3', 'f4']],
    ['tags NOT EXISTS', ['f2']],
    ['tags HAS "docu"', ['f3']],
    ['tags HAS "WAVE"', ['f1']],
    ['tags IN ["old"]', []],
  ]);
});

describe('type and id', () => {
  cases([
    ['type = "file-version"', ['v1a']],
    ['type = "folder"', ['d1', 'd2', 'd3']],
    ['type IN ["file", "folder"]', ['f1', 'f2', 'f3', 'f4', 'd1', 'd2', 'd3']],
    ['type NOT = "file"', ['v1a', 'd1', 'd2', 'd3']],
    ['tags IN ["old"] AND type = "file-version"', ['v1a']],
    ['name = "summer_beach.jpg" AND type IN ["file", "file-version"]', ['f1', 'v1a']],
    ['id IN ["f2", "v1a", "d1"]', ['f2']],
    ['id = "d1" AND type = "folder"', ['d1']],
  ]);
});

describe('dates', () => {
  const day = (offset: number) => new Date(NOW + offset).toISOString().slice(0, 10);
  cases([
    ['createdAt > "7d"', ['f1', 'f4']],
    ['createdAt > "4h"', ['f4']],
    ['createdAt > "2h"', []],
    ['createdAt < "1y"', ['f3']],
    ['createdAt >= "2m" AND createdAt < "1w"', ['f2']],
    [`createdAt = "${day(-40 * DAY)}"`, ['f2']],
    [`createdAt NOT = "${day(-40 * DAY)}"`, ['f1', 'f3', 'f4']],
    [`createdAt <= "${day(-40 * DAY)}"`, ['f2', 'f3']],
    [`createdAt > "${day(-40 * DAY)}"`, ['f1', 'f4']],
    [`updatedAt >= "${new Date(NOW - 3 * HOUR).toISOString().slice(0, 19)}"`, ['f4']],
    ['createdAt < "7d" AND type = "file-version"', ['v1a']],
  ]);
});

describe('media properties', () => {
  cases([
    ['size > "1mb"', ['f2', 'f4']],
    ['size <= "10kb"', ['f3']],
    ['size < 10240', []],
    ['size >= "1.5mb"', ['f2', 'f4']],
    ['width >= 1000', ['f1']],
    ['height < 500', ['f2']],
    ['width IN [400, 800]', ['f2', 'f4']],
    ['format = "jpeg"', ['f1']],
    ['format IN ["PNG", "webp"]', ['f2', 'f4']],
    ['private = true', ['f2']],
    ['published = false', ['f3']],
    ['transparency = true', ['f2', 'f4']],
    ['transparency = false', ['f1']],
  ]);
});

describe('path', () => {
  cases([
    ['path = "/photos"', ['f1']],
    ['path = "photos/2023/"', ['f2']],
    ['path : "/photos/"', ['f1', 'f2']],
    ['path = "/"', ['f4']],
    ['path : "/"', ['f1', 'f2', 'f3', 'f4']],
    ['path IN ["/docs", "/photos/2023"]', ['f2', 'f3']],
    ['path NOT IN ["/photos"]', ['f2', 'f3', 'f4']],
    ['type = "folder" AND path = "/"', ['d1', 'd3']],
    ['type = "folder" AND path : "/photos"', ['d2']],
  ]);
});

describe('custom metadata', () => {
  cases([
    ['"customMetadata.brand" = "nike"', ['f1']],
    ['"customMetadata.brand" : "nike"', ['f1', 'f4']],
    ['"customMetadata.brand" IN ["Adidas", "puma"]', ['f2']],
    ['"customMetadata.brand" NOT = "nike"', ['f2', 'f3', 'f4']],
    ['"customMetadata.brand" NOT IN ["nike", "Adidas"]', ['f3', 'f4']],
    ['"customMetadata.brand" NOT EXISTS', ['f3']],
    ['"customMetadata.notes" : "Shot"', ['f4']],
    ['"customMetadata.price" > 60 AND "customMetadata.price" <= 120', ['f1', 'f2']],
    ['"customMetadata.price" < 60', ['f4']],
    ['"customMetadata.price" = 50.5', ['f4']],
    ['"customMetadata.launch" = "2024-03-01"', ['f1']],
    ['"customMetadata.launch" < "2024-01-01"', ['f2']],
    ['"customMetadata.launch" > "1y"', ['f1', 'f2']],
    ['"customMetadata.onSale" = true', ['f1']],
    ['"customMetadata.onSale" = false', ['f2']],
    ['"customMetadata.color" IN ["red", "blue"]', ['f1', 'f2']],
    ['"customMetadata.color" : "bl"', ['f2']],
    ['"customMetadata.color" > "c"', ['f1']],
    ['"customMetadata.sizes" IN ["L", "S"]', ['f1', 'f2']],
    ['"customMetadata.sizes" IN ["XL"]', []],
    ['"customMetadata.sizes" NOT IN ["M"]', ['f2', 'f3', 'f4']],
  ]);
});

describe('embedded metadata', () => {
  cases([
    ['"embeddedMetadata.Make" = "Canon"', ['f1']],
    ['"embeddedMetadata.Make" NOT = "Canon"', ['f2', 'f3', 'f4']],
    ['"embeddedMetadata.Make" IN ["Nikon", "Sony"]', ['f2']],
    ['"embeddedMetadata.Keywords" IN ["sun"]', ['f1']],
    ['"embeddedMetadata.Keywords" = "sea"', ['f1']],
    ['"embeddedMetadata.ISO" >= 100', ['f1']],
    ['"embeddedMetadata.DateTimeOriginal" < "2020-01-01"', ['f1']],
    ['"embeddedMetadata.DateTimeOriginal" = "2019-08-22"', ['f1']],
    ['"embeddedMetadata.DateTimeOriginal" > "2020-01-01"', ['f2']],
    ['"embeddedMetadata.DateTimeOriginal" EXISTS', ['f1', 'f2']],
  ]);
});

describe('AND, OR and parentheses', () => {
  cases([
    ['tags IN ["summer"] AND (format = "webp" OR width > 1000)', ['f1', 'f4']],
    ['tags IN ["summer"] AND format = "webp" OR private = true', ['f2', 'f4']],
    ['tags IN ["summer"] AND (format = "webp" OR private = true)', ['f4']],
    ['private = true OR published = false OR name : "summer-"', ['f2', 'f3', 'f4']],
    ['((size > "1mb") AND (tags NOT EXISTS OR width = 400))', ['f2']],
    ['(type = "folder" OR type = "file-version") AND createdAt < "1w"', ['v1a', 'd1', 'd2', 'd3']],
  ]);
});

describe('sort', () => {
  it.each([
    [undefined, ['f3', 'f2', 'f1', 'f4']],
    ['DESC_CREATED', ['f4', 'f1', 'f2', 'f3']],
    ['DESC_RELEVANCE', ['f4', 'f1', 'f2', 'f3']],
    ['DESC_SIZE', ['f2', 'f4', 'f1', 'f3']],
    ['ASC_NAME', ['f3', 'f4', 'f1', 'f2']],
    ['ASC_WIDTH', ['f2', 'f4', 'f1', 'f3']],
    ['DESC_WIDTH', ['f1', 'f4', 'f2', 'f3']],
    // f1 and f4 are both 800 high: the id decides.
    ['DESC_HEIGHT', ['f4', 'f1', 'f2', 'f3']],
    ['DESC_ORIGINAL_CREATION_DATE', ['f2', 'f1', 'f4', 'f3']],
    ['DESC_DURATION', ['f4', 'f3', 'f2', 'f1']],
  ])('sort=%s', async (sort, expected) => {
    expect(await search('type = "file"', sort)).toEqual(expected);
  });

  it('breaks ties on the id, in the sort direction', async () => {
    expect(await search('type = "folder"', 'ASC_SIZE')).toEqual(['d1', 'd2', 'd3']);
    expect(await search('type = "folder"', 'DESC_CREATED')).toEqual(['d3', 'd2', 'd1']);
  });
});

describe('the largest queries the bounds allow', () => {
  // Durable Object SQLite takes at most 100 bound values and about 100 KB of SQL per statement.
  it('runs 100 comparisons binding 90 values, with the longest SQL per comparison (HAS on tags)', async () => {
    const query = [
      ...Array.from({ length: 90 }, () => 'tags HAS "ocean w"'),
      ...Array.from({ length: 10 }, () => 'tags NOT EXISTS'),
    ].join(' OR ');
    expect((await search(query)).sort()).toEqual(['f1', 'f2']);
  });

  it('runs 20 levels of parentheses', async () => {
    let query = 'name : "summer"';
    for (let level = 0; level < 20; level++) query = `(${query} AND size > ${level})`;
    expect((await search(query)).sort()).toEqual(['f1', 'f4']);
  });

  // It also refuses expressions more than 100 levels deep; AND / OR chains are compiled as balanced trees.
  it('runs 100 comparisons 20 levels deep, with the deepest comparisons at every level', async () => {
    let query = 'name : "summer"';
    for (let level = 0; level < 20; level++) {
      query = `(tags HAS "ocean w" AND tags NOT IN ["x"] AND "customMetadata.brand" NOT = "q" AND ${query})`;
    }
    query += ' OR tags NOT EXISTS'.repeat(39);
    expect(query.length).toBeLessThanOrEqual(4000);
    expect((await search(query)).sort()).toEqual(['f1', 'f2']);
  });

  it('runs a 100-value IN list on tags', async () => {
    const tags = Array.from({ length: 99 }, (_, i) => `"t${i}"`).concat('"work"');
    expect(await search(`tags IN [${tags.join(', ')}]`)).toEqual(['f3']);
  });
});
