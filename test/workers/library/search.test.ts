/**
 * GET /v1/files through `@imagekit/nodejs` (`client.assets.list`): listing by type, folder, file type, paging and
 * sort, the legacy `tags` / `name` parameters, and searchQuery over names, tags, sizes, dimensions, formats,
 * dates, paths, types and custom metadata, each checked against the exact set of names it must return.
 */
import { env, runInDurableObject } from 'cloudflare:test';
import type { AssetListParams } from '@imagekit/nodejs/resources/assets';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/registry';
import { fixtureBytes } from '../helpers';
import { failure, type LibraryTenant, newLibraryTenant } from '../library-helpers';

const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

interface Asset {
  path: string;
  bytes: () => Promise<Uint8Array>;
  tags: string[];
  customMetadata: Record<string, unknown>;
}

const fixture = (path: string) => () => fixtureBytes(path);

/**
 * Uploaded in this order (sizes in bytes, dimensions as stored):
 *   /red-shoe.jpg        5770  227×149  [shoe, red]   acme  50   [S, M]  onSale
 *   /a/blue-shoe.png      184   32×32   [shoe, blue]  acme  150  [L]     (alpha)
 *   /a/b/hat.jpg       180183 1000×800  [hat]         zeta  20   [M]     not on sale
 *   /a/b/deep/scarf.webp 3414  227×149  [scarf, red]        99.5
 *   /docs/manual.pdf       47   -       [doc]         acme
 *   /a/logo.gif          2152   64×48   [logo]        Acme                (alpha)
 *   /red-cap.avif        3078  227×149  [red, hat]               [S]
 *   /a/gradient.png      9010   64×48   []                                (alpha; AI tag Rainbow)
 */
const ASSETS: Asset[] = [
  { path: '/red-shoe.jpg', bytes: fixture(fixtures.jpegBaseline.path), tags: ['shoe', 'red'], customMetadata: { brand: 'acme', price: 50, sizes: ['S', 'M'], onSale: true } },
  { path: '/a/blue-shoe.png', bytes: fixture(fixtures.basn6a08.path), tags: ['shoe', 'blue'], customMetadata: { brand: 'acme', price: 150, sizes: ['L'] } },
  { path: '/a/b/hat.jpg', bytes: fixture(fixtures.photo1000x800.path), tags: ['hat'], customMetadata: { brand: 'zeta', price: 20, sizes: ['M'], onSale: false } },
  { path: '/a/b/deep/scarf.webp', bytes: fixture(fixtures.webpLossy.path), tags: ['scarf', 'red'], customMetadata: { price: 99.5 } },
  { path: '/docs/manual.pdf', bytes: async () => PDF, tags: ['doc'], customMetadata: { brand: 'acme' } },
  { path: '/a/logo.gif', bytes: fixture(fixtures.gifTransparent.path), tags: ['logo'], customMetadata: { brand: 'Acme' } },
  { path: '/red-cap.avif', bytes: fixture(fixtures.avifOpaque.path), tags: ['red', 'hat'], customMetadata: { sizes: ['S'] } },
  { path: '/a/gradient.png', bytes: fixture(fixtures.pngAlphaGradient.path), tags: [], customMetadata: {} },
];

const ALL_FILES = ['red-shoe.jpg', 'blue-shoe.png', 'hat.jpg', 'scarf.webp', 'manual.pdf', 'logo.gif', 'red-cap.avif', 'gradient.png'];

/** The query of GET /v1/files, with the legacy parameters the SDK's types leave out. */
type ListQuery = AssetListParams & { tags?: string; name?: string; includeFolder?: boolean };

let t: LibraryTenant;

async function list(query: ListQuery = {}) {
  return (await t.client.assets.list(query as AssetListParams)) as { type: string; name: string; folderPath?: string; filePath?: string }[];
}

const names = async (query: ListQuery = {}) => (await list(query)).map((a) => a.name);
const search = (searchQuery: string, query: ListQuery = {}) => names({ ...query, searchQuery });

/** The names a searchQuery finds, in upload order: compared as a set in a stable order. */
async function found(searchQuery: string, query: ListQuery = {}): Promise<string[]> {
  return (await search(searchQuery, query)).sort((a, b) => order(a) - order(b));
}
const order = (name: string) => {
  const i = ALL_FILES.indexOf(name);
  return i === -1 ? 100 + name.charCodeAt(0) : i;
};

async function refused(searchQuery: string): Promise<string> {
  const answer = await failure(t.client.assets.list({ searchQuery }));
  expect(answer.status, searchQuery).toBe(400);
  return String(answer.body.message);
}

beforeAll(async () => {
  t = await newLibraryTenant();
  await t.client.customMetadataFields.create({ name: 'brand', label: 'Brand', schema: { type: 'Text' } });
  await t.client.customMetadataFields.create({ name: 'price', label: 'Price', schema: { type: 'Number' } });
  await t.client.customMetadataFields.create({ name: 'sizes', label: 'Sizes', schema: { type: 'MultiSelect', selectOptions: ['S', 'M', 'L'] } });
  await t.client.customMetadataFields.create({ name: 'onSale', label: 'On sale', schema: { type: 'Boolean' } });
  const retired = await t.client.customMetadataFields.create({ name: 'retired', label: 'Retired', schema: { type: 'Text' } });
  await t.client.customMetadataFields.delete(retired.id);
  for (const asset of ASSETS) {
    const slash = asset.path.lastIndexOf('/');
    const fileName = asset.path.slice(slash + 1);
    const file = await t.client.files.upload({
      file: new File([await asset.bytes()], fileName),
      fileName,
      folder: asset.path.slice(0, slash) || '/',
      useUniqueFileName: false,
      tags: asset.tags,
      customMetadata: asset.customMetadata,
    });
    expect(file.filePath).toBe(asset.path);
    // Creation times must differ for ASC_CREATED to have one answer.
    await new Promise((r) => setTimeout(r, 3));
  }
  const gradient = (await list({ name: 'gradient.png' } as ListQuery))[0] as unknown as { fileId: string };
  const stub = env.MEDIA_LIBRARY.get(env.MEDIA_LIBRARY.idFromName(t.tenantId));
  await runInDurableObject(stub, (_instance, state) => {
    state.storage.sql.exec('UPDATE files SET ai_tags = ? WHERE id = ?', JSON.stringify([{ name: 'Rainbow', confidence: 90, source: 'aws-auto-tagging' }]), gradient.fileId);
  });
});

describe('listing', () => {
  it('lists files only by default, oldest first, with the sizes and formats as uploaded', async () => {
    const all = (await t.client.assets.list()) as { type: string; name: string; filePath: string; size: number; fileType: string; createdAt: string }[];
    expect(all.map((f) => f.name)).toEqual(ALL_FILES);
    expect(all.every((f) => f.type === 'file')).toBe(true);
    expect(all.map((f) => f.filePath)).toEqual(ASSETS.map((a) => a.path));
    const sizes = await Promise.all(ASSETS.map(async (a) => (await a.bytes()).length));
    expect(all.map((f) => f.size)).toEqual(sizes);
    expect(all.map((f) => f.fileType)).toEqual(['image', 'image', 'image', 'image', 'non-image', 'image', 'image', 'image']);
    const created = all.map((f) => Date.parse(f.createdAt));
    created.slice(1).forEach((at, i) => expect(at).toBeGreaterThan(created[i]!));
    expect(await names({ type: 'file' })).toEqual(ALL_FILES);
    expect(await names({ sort: 'DESC_CREATED' })).toEqual([...ALL_FILES].reverse());
    expect(await names({ type: 'file-version' })).toEqual([]);
  });

  it('type folder, type all and includeFolder', async () => {
    const folders = await list({ type: 'folder' });
    expect(folders.map((f) => [f.type, f.name, f.folderPath])).toEqual([
      ['folder', 'a', '/a'],
      ['folder', 'b', '/a/b'],
      ['folder', 'deep', '/a/b/deep'],
      ['folder', 'docs', '/docs'],
    ]);
    const everything = ['a', 'b', 'blue-shoe.png', 'deep', 'docs', 'gradient.png', 'hat.jpg', 'logo.gif', 'manual.pdf', 'red-cap.avif', 'red-shoe.jpg', 'scarf.webp'];
    expect(await names({ type: 'all', sort: 'ASC_NAME' })).toEqual(everything);
    expect(await names({ includeFolder: true, sort: 'ASC_NAME' })).toEqual(everything);
  });

  it('path lists only what lies directly in the folder', async () => {
    expect(await names({ path: '/a' })).toEqual(['blue-shoe.png', 'logo.gif', 'gradient.png']);
    expect(await names({ path: '/a/' })).toEqual(['blue-shoe.png', 'logo.gif', 'gradient.png']);
    expect(await names({ path: 'a/b' })).toEqual(['hat.jpg']);
    expect(await names({ path: '/' })).toEqual(['red-shoe.jpg', 'red-cap.avif']);
    expect(await names({ path: '/a/', type: 'all', sort: 'ASC_NAME' })).toEqual(['b', 'blue-shoe.png', 'gradient.png', 'logo.gif']);
    expect(await names({ path: '/a/', type: 'folder' })).toEqual(['b']);
    expect(await names({ path: '/nowhere' })).toEqual([]);
  });

  it('fileType image / non-image', async () => {
    expect(await names({ fileType: 'image' })).toEqual(ALL_FILES.filter((n) => n !== 'manual.pdf'));
    expect(await names({ fileType: 'non-image' })).toEqual(['manual.pdf']);
    expect(await names({ fileType: 'all' })).toEqual(ALL_FILES);
  });

  it('limit and skip page through the list', async () => {
    expect(await names({ limit: 3 })).toEqual(ALL_FILES.slice(0, 3));
    expect(await names({ limit: 3, skip: 3 })).toEqual(ALL_FILES.slice(3, 6));
    expect(await names({ limit: 3, skip: 6 })).toEqual(ALL_FILES.slice(6));
    expect(await names({ skip: 7 })).toEqual(['gradient.png']);
    expect(await names({ skip: 8 })).toEqual([]);
    expect(await names({ limit: 2, skip: 1, sort: 'DESC_SIZE' })).toEqual(['gradient.png', 'red-shoe.jpg']);
  });

  it('sorts by name and size', async () => {
    const byName = ['blue-shoe.png', 'gradient.png', 'hat.jpg', 'logo.gif', 'manual.pdf', 'red-cap.avif', 'red-shoe.jpg', 'scarf.webp'];
    expect(await names({ sort: 'ASC_NAME' })).toEqual(byName);
    expect(await names({ sort: 'DESC_NAME' })).toEqual([...byName].reverse());
    const bySize = ['hat.jpg', 'gradient.png', 'red-shoe.jpg', 'scarf.webp', 'red-cap.avif', 'logo.gif', 'blue-shoe.png', 'manual.pdf'];
    expect(await names({ sort: 'DESC_SIZE' })).toEqual(bySize);
    expect(await names({ sort: 'ASC_SIZE' })).toEqual([...bySize].reverse());
    expect(await names({ sort: 'ASC_WIDTH', fileType: 'image', limit: 1 })).toEqual(['blue-shoe.png']);
  });

  it('legacy tags and name parameters', async () => {
    expect(await names({ tags: 'red' })).toEqual(['red-shoe.jpg', 'scarf.webp', 'red-cap.avif']);
    expect(await names({ tags: 'hat,blue' })).toEqual(['blue-shoe.png', 'hat.jpg', 'red-cap.avif']);
    expect(await names({ tags: 'nothing' })).toEqual([]);
    expect(await names({ name: 'hat.jpg' })).toEqual(['hat.jpg']);
    expect(await names({ name: 'hat' })).toEqual([]);
    expect(await names({ name: 'b', type: 'folder' })).toEqual(['b']);
    expect(await names({ tags: 'red', name: 'scarf.webp' })).toEqual(['scarf.webp']);
  });

  it('refuses bad parameters with a 400 naming them', async () => {
    const cases: [ListQuery, string][] = [
      [{ type: 'files' as never }, '"type"'],
      [{ fileType: 'video' as never }, '"fileType"'],
      [{ limit: 0 }, '"limit"'],
      [{ limit: 1001 }, '"limit"'],
      [{ limit: 1.5 }, '"limit"'],
      [{ skip: -1 }, '"skip"'],
      [{ sort: 'BY_NAME' as never }, 'sort'],
      [{ path: '/a/../b' }, '"path"'],
      [{ tags: 'a%b' }, '"tags"'],
    ];
    for (const [query, field] of cases) {
      const answer = await failure(t.client.assets.list(query as AssetListParams));
      expect(answer.status, JSON.stringify(query)).toBe(400);
      expect(String(answer.body.message), JSON.stringify(query)).toContain(field);
    }
  });
});

describe('searchQuery', () => {
  it('name: = is exact and case-sensitive, : is a prefix, HAS matches words', async () => {
    expect(await found('name = "hat.jpg"')).toEqual(['hat.jpg']);
    expect(await found('name = "HAT.jpg"')).toEqual([]);
    expect(await found('name : "red"')).toEqual(['red-shoe.jpg', 'red-cap.avif']);
    expect(await found('name : "Red"')).toEqual([]);
    expect(await found('name IN ["hat.jpg", "logo.gif", "none"]')).toEqual(['hat.jpg', 'logo.gif']);
    expect(await found('name NOT = "hat.jpg"')).toEqual(ALL_FILES.filter((n) => n !== 'hat.jpg'));
    expect(await found('name HAS "shoe"')).toEqual(['red-shoe.jpg', 'blue-shoe.png']);
  });

  it('tags IN, NOT IN and EXISTS, matching AI tags too', async () => {
    expect(await found('tags IN ["shoe", "logo"]')).toEqual(['red-shoe.jpg', 'blue-shoe.png', 'logo.gif']);
    expect(await found('tags IN ["red"]')).toEqual(['red-shoe.jpg', 'scarf.webp', 'red-cap.avif']);
    expect(await found('tags IN ["Rainbow"]')).toEqual(['gradient.png']);
    expect(await found('tags NOT IN ["red", "shoe"]')).toEqual(['hat.jpg', 'manual.pdf', 'logo.gif', 'gradient.png']);
    expect(await found('tags NOT EXISTS')).toEqual([]);
    expect(await found('tags EXISTS')).toEqual(ALL_FILES);
  });

  it('size with units, width and height', async () => {
    expect(await found('size > "1kb"')).toEqual(['red-shoe.jpg', 'hat.jpg', 'scarf.webp', 'logo.gif', 'red-cap.avif', 'gradient.png']);
    expect(await found('size > "100kb"')).toEqual(['hat.jpg']);
    expect(await found('size < 1000')).toEqual(['blue-shoe.png', 'manual.pdf']);
    expect(await found('size <= 5770 AND size >= 5770')).toEqual(['red-shoe.jpg']);
    expect(await found('width >= 227')).toEqual(['red-shoe.jpg', 'hat.jpg', 'scarf.webp', 'red-cap.avif']);
    expect(await found('width > 227')).toEqual(['hat.jpg']);
    expect(await found('height < 100')).toEqual(['blue-shoe.png', 'logo.gif', 'gradient.png']);
    expect(await found('transparency = true')).toEqual(['blue-shoe.png', 'logo.gif', 'gradient.png']);
  });

  it('format IN / =, jpeg meaning jpg', async () => {
    expect(await found('format IN ["png"]')).toEqual(['blue-shoe.png', 'gradient.png']);
    expect(await found('format IN ["webp", "avif", "pdf"]')).toEqual(['scarf.webp', 'manual.pdf', 'red-cap.avif']);
    expect(await found('format = "jpeg"')).toEqual(['red-shoe.jpg', 'hat.jpg']);
    expect(await found('format = "JPG"')).toEqual(['red-shoe.jpg', 'hat.jpg']);
  });

  it('createdAt relative and absolute dates', async () => {
    expect(await found('createdAt > "1d"')).toEqual(ALL_FILES);
    expect(await found('createdAt < "1d"')).toEqual([]);
    expect(await found('createdAt > "2000-01-01"')).toEqual(ALL_FILES);
    expect(await found('updatedAt < "2000-01-01T00:00:00"')).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await search(`createdAt = "${today}" OR createdAt > "1h"`)).length).toBe(8);
  });

  it('path : is the folder and its subfolders, path = the folder alone', async () => {
    expect(await found('path : "/a"')).toEqual(['blue-shoe.png', 'hat.jpg', 'scarf.webp', 'logo.gif', 'gradient.png']);
    expect(await found('path : "/a/b/"')).toEqual(['hat.jpg', 'scarf.webp']);
    expect(await found('path = "/a"')).toEqual(['blue-shoe.png', 'logo.gif', 'gradient.png']);
    expect(await found('path = "/"')).toEqual(['red-shoe.jpg', 'red-cap.avif']);
    expect(await found('path : "/docs"')).toEqual(['manual.pdf']);
  });

  it('type inside the query replaces the type parameter', async () => {
    expect(await names({ searchQuery: 'type = "folder"' })).toEqual(['a', 'b', 'deep', 'docs']);
    expect(await found('type = "folder" AND path : "/a"')).toEqual(['b', 'deep']);
    expect(await found('type IN ["file", "folder"] AND name : "d"')).toEqual(['deep', 'docs']);
    expect(await found('type = "file-version"')).toEqual([]);
    // Without type in the query, only files are searched, whatever the type parameter says.
    expect(await found('name : "d"', { type: 'folder' })).toEqual([]);
    expect(await found('name : "d"', { type: 'all' })).toEqual([]);
  });

  it('custom metadata by field type: Text =, Number ranges, MultiSelect IN, Boolean =', async () => {
    expect(await found('"customMetadata.brand" = "acme"')).toEqual(['red-shoe.jpg', 'blue-shoe.png', 'manual.pdf']);
    expect(await found('"customMetadata.brand" : "A"')).toEqual(['logo.gif']);
    expect(await found('"customMetadata.brand" IN ["zeta", "Acme"]')).toEqual(['hat.jpg', 'logo.gif']);
    expect(await found('"customMetadata.brand" NOT EXISTS')).toEqual(['scarf.webp', 'red-cap.avif', 'gradient.png']);
    expect(await found('"customMetadata.price" >= 50 AND "customMetadata.price" < 150')).toEqual(['red-shoe.jpg', 'scarf.webp']);
    expect(await found('"customMetadata.price" > 99')).toEqual(['blue-shoe.png', 'scarf.webp']);
    expect(await found('"customMetadata.price" = 20')).toEqual(['hat.jpg']);
    expect(await found('"customMetadata.sizes" IN ["M"]')).toEqual(['red-shoe.jpg', 'hat.jpg']);
    expect(await found('"customMetadata.sizes" IN ["S", "L"]')).toEqual(['red-shoe.jpg', 'blue-shoe.png', 'red-cap.avif']);
    expect(await found('"customMetadata.sizes" NOT IN ["M"]')).toEqual(['blue-shoe.png', 'scarf.webp', 'manual.pdf', 'logo.gif', 'red-cap.avif', 'gradient.png']);
    expect(await found('"customMetadata.onSale" = true')).toEqual(['red-shoe.jpg']);
    expect(await found('"customMetadata.onSale" = false')).toEqual(['hat.jpg']);
  });

  it('AND binds tighter than OR; parentheses group', async () => {
    expect(await found('format = "png" OR tags IN ["hat"] AND size > "100kb"')).toEqual(['blue-shoe.png', 'hat.jpg', 'gradient.png']);
    expect(await found('(format = "png" OR tags IN ["hat"]) AND size > "100kb"')).toEqual(['hat.jpg']);
    expect(await found('tags IN ["red"] AND (format = "jpg" OR format = "avif")')).toEqual(['red-shoe.jpg', 'red-cap.avif']);
    expect(await found('(name : "red" OR name : "blue") AND ("customMetadata.brand" = "acme" OR "customMetadata.sizes" IN ["S"])')).toEqual([
      'red-shoe.jpg',
      'blue-shoe.png',
      'red-cap.avif',
    ]);
    expect(await found('name : "red" and tags in ["hat"] or name = "logo.gif"')).toEqual(['logo.gif', 'red-cap.avif']);
  });

  it('works with path, fileType, sort and paging parameters; overrides name and tags', async () => {
    expect(await search('name : "red"', { name: 'hat.jpg', tags: 'logo' })).toEqual(['red-shoe.jpg', 'red-cap.avif']);
    expect(await search('tags IN ["shoe"]', { path: '/a/' })).toEqual(['blue-shoe.png']);
    expect(await search('tags IN ["red", "doc"]', { fileType: 'non-image' })).toEqual(['manual.pdf']);
    expect(await search('tags IN ["red"]', { sort: 'DESC_SIZE' })).toEqual(['red-shoe.jpg', 'scarf.webp', 'red-cap.avif']);
    expect(await search('tags IN ["red"]', { sort: 'ASC_NAME', limit: 1, skip: 1 })).toEqual(['red-shoe.jpg']);
  });

  it('a syntax error is a 400 that names the position', async () => {
    expect(await refused('name = "a" AND OR size > 1')).toContain('position 16');
    expect(await refused('name != "a"')).toContain('position 6');
    expect(await refused('name = hat')).toContain('position 8');
    expect(await refused('(name = "a"')).toContain('position 12');
    expect(await refused('name = "a')).toContain('position 8');
    expect(await refused('tags IN "red"')).toContain('position 9');
    expect(await refused('customMetadata.brand = "acme"')).toContain('position 1');
  });

  it('unknown fields, unknown or deleted custom fields and wrong values are 400s', async () => {
    const unknown = await refused('colour = "red"');
    expect(unknown).toContain('"colour"');
    expect(unknown).toContain('position 1');
    expect(await refused('"customMetadata.color" = "red"')).toContain('color');
    expect(await refused('"customMetadata.retired" = "x"')).toContain('retired');
    expect(await refused('size > "big"')).toContain('size');
    expect(await refused('createdAt > "yesterday"')).toContain('createdAt');
    expect(await refused('tags = "red"')).toContain('tags');
    expect(await refused('"customMetadata.sizes" = "M"')).toContain('customMetadata.sizes');
    expect(await refused('type = "image"')).toContain('type');
    expect(await refused('width > "wide"')).toContain('width');
  });
});
