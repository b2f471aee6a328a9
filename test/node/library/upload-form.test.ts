/** The upload form (reference §4.3): ImageKit's defaults, and a 400 naming the field for every bad value. */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/http/errors';
import type { SpooledFile } from '../../../src/library/file-spool';
import { checkExtensions, extensionStatus, parseUploadForm, type UploadForm } from '../../../src/library/upload-form';

const JPEG_HEAD = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]);

/** A binary part as the streamed form hands it over: spooled, nothing stored. */
const spooled = (bytes: Uint8Array): SpooledFile => ({
  size: bytes.length,
  hash: 'not-hashed-here',
  head: bytes,
  store: async () => undefined,
  discard: async () => undefined,
});

/** The text fields of a form with a fileName, the given fields, and `file` when it is text. */
function form(fields: Record<string, string> = {}, file?: string): FormData {
  const f = new FormData();
  if (file !== undefined) f.append('file', file);
  if (!('fileName' in fields)) f.append('fileName', 'photo.jpg');
  for (const [name, value] of Object.entries(fields)) f.append(name, value);
  return f;
}

/** Parses a form whose file is text (a URL, base64) or binary (spooled; by default a JPEG's first bytes). */
const parse = (fields: Record<string, string> = {}, file: Uint8Array | string = JPEG_HEAD) =>
  typeof file === 'string' ? parseUploadForm(form(fields, file)) : parseUploadForm(form(fields), spooled(file));

/** The HttpError thrown by parsing, which must be a 400. */
function error400(run: () => unknown): HttpError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(HttpError);
    expect((e as HttpError).status).toBe(400);
    return e as HttpError;
  }
  throw new Error('expected a 400');
}

const rejects = (field: string, value: string) => {
  const e = error400(() => parse({ [field]: value }));
  expect(e.message).toContain(`"${field}"`);
  return e;
};

describe('defaults', () => {
  it('fills in every optional field as ImageKit does', () => {
    const parsed = parse();
    expect(parsed).toMatchObject({
      fileName: 'photo.jpg',
      useUniqueFileName: true,
      tags: undefined,
      folder: '/',
      isPrivateFile: false,
      isPublished: true,
      customCoordinates: null,
      customMetadata: undefined,
      responseFields: [],
      extensions: [],
      webhookUrl: undefined,
      overwriteFile: true,
      overwriteAITags: true,
      overwriteTags: true,
      overwriteCustomMetadata: true,
      description: undefined,
      auth: { publicKey: undefined, signature: undefined, token: undefined, expire: undefined },
    } satisfies Partial<UploadForm>);
    expect(parsed.file.kind).toBe('spooled');
  });

  it('keeps the client-side auth fields as sent', () => {
    const parsed = parse({ publicKey: 'public_x', signature: 'abc', token: 'tok-123', expire: '1700000000' });
    expect(parsed.auth).toEqual({ publicKey: 'public_x', signature: 'abc', token: 'tok-123', expire: '1700000000' });
  });
});

describe('file', () => {
  it('a binary part is the spooled file itself', () => {
    const file = spooled(JPEG_HEAD);
    const parsed = parseUploadForm(form(), file);
    expect(parsed.file).toEqual({ kind: 'spooled', file });
  });

  it('a binary part and a text "file" together are refused', () => {
    expect(error400(() => parseUploadForm(form({}, 'https://example.com/x.jpg'), spooled(JPEG_HEAD))).message).toContain('"file"');
  });

  it('an http(s) URL is fetched later, not decoded', () => {
    expect(parse({}, 'https://example.com/a b.jpg').file).toEqual({ kind: 'url', url: 'https://example.com/a%20b.jpg' });
    expect(parse({}, 'HTTP://example.com/x.png').file).toEqual({ kind: 'url', url: 'http://example.com/x.png' });
  });

  it('a data URI is decoded, with its declared type', () => {
    const parsed = parse({}, 'data:image/png;base64,iVBORw0KGgo=');
    expect(parsed.file).toEqual({
      kind: 'bytes',
      bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      declaredType: 'image/png',
    });
  });

  it('bare base64 is decoded, padding optional, line breaks and URL-safe letters accepted', () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0xfb, 0xff]);
    const standard = Buffer.from(bytes).toString('base64'); // /9j/4Pv/
    expect(parse({}, standard).file).toEqual({ kind: 'bytes', bytes });
    expect(parse({}, `${standard.slice(0, 4)}\n${standard.slice(4)}`).file).toEqual({ kind: 'bytes', bytes });
    expect(parse({}, Buffer.from(bytes).toString('base64url')).file).toEqual({ kind: 'bytes', bytes });
    expect(parse({}, 'iVBORw0KGgo').file).toEqual({ kind: 'bytes', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) });
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['blank', '   '],
    ['neither URL nor base64', 'not a file!'],
    ['another scheme', 'ftp://example.com/x.jpg'],
  ])('%s → "Missing file parameter for upload"', (_name, value) => {
    const f = new FormData();
    if (value !== undefined) f.append('file', value);
    f.append('fileName', 'a.jpg');
    expect(error400(() => parseUploadForm(f)).message).toBe('Missing file parameter for upload');
  });

  it.each([
    ['a data URI without base64', 'data:text/plain,hello'],
    ['broken base64', 'abcde'],
    ['an empty data URI', 'data:image/png;base64,'],
    ['a bad URL', 'http://exa mple.com/'],
  ])('%s is a 400 naming "file"', (_name, value) => {
    expect(error400(() => parse({}, value)).message).toContain('"file"');
  });

  it('an empty binary part is refused', () => {
    expect(error400(() => parse({}, new Uint8Array(0))).message).toContain('"file"');
  });
});

describe('fileName', () => {
  it.each([
    ['photo.jpg', 'photo.jpg'],
    ['my photo (1).jpg', 'my_photo__1_.jpg'],
    ['../../etc/passwd', '.._.._etc_passwd'],
    ['a/b\\c.png', 'a_b_c.png'],
    ['résumé-2024_v1.pdf', 'résumé-2024_v1.pdf'],
    ['照片.jpg', '照片.jpg'],
    ['٣.png', '٣.png'],
    ['emoji😀.gif', 'emoji_.gif'], // one character (two UTF-16 units), one _
    ['.hidden', '.hidden'],
  ])('%s → %s', (input, expected) => {
    expect(parse({ fileName: input }).fileName).toBe(expected);
  });

  it('is required', () => {
    expect(error400(() => parseUploadForm(new FormData(), spooled(JPEG_HEAD))).message).toBe('Missing fileName parameter for upload');
    expect(error400(() => parse({ fileName: '' })).message).toBe('Missing fileName parameter for upload');
  });

  it('refuses . and .. and names longer than 1024 characters', () => {
    rejects('fileName', '.');
    rejects('fileName', '..');
    rejects('fileName', `${'a'.repeat(1021)}.jpg`);
    expect(parse({ fileName: `${'a'.repeat(1020)}.jpg` }).fileName).toHaveLength(1024);
  });

  it('a name sent as a file part is refused', () => {
    const f = new FormData();
    f.append('fileName', new Blob(['x']));
    expect(error400(() => parseUploadForm(f, spooled(JPEG_HEAD))).message).toContain('"fileName"');
  });
});

describe('booleans', () => {
  const BOOLEANS = [
    ['useUniqueFileName', true],
    ['isPrivateFile', false],
    ['isPublished', true],
    ['overwriteFile', true],
    ['overwriteAITags', true],
    ['overwriteTags', true],
    ['overwriteCustomMetadata', true],
  ] as const;

  it.each(BOOLEANS)('%s: "true"/"false" parse, default %s', (name, fallback) => {
    expect(parse()[name]).toBe(fallback);
    expect(parse({ [name]: 'true' })[name]).toBe(true);
    expect(parse({ [name]: 'false' })[name]).toBe(false);
  });

  it.each(BOOLEANS.flatMap(([name]) => ['TRUE', '1', 'yes', '', 'false '].map((v) => [name, v] as const)))(
    '%s=%j is a 400 naming the field',
    (name, value) => {
      rejects(name, value);
    },
  );
});

describe('tags', () => {
  it('splits, trims, drops empties and duplicates', () => {
    expect(parse({ tags: ' t-shirt, summer ,,men,summer ' }).tags).toEqual(['t-shirt', 'summer', 'men']);
  });

  it('an empty value is an explicit empty list (absent stays undefined)', () => {
    expect(parse({ tags: '' }).tags).toEqual([]);
    expect(parse().tags).toBeUndefined();
  });

  it('refuses % and more than 500 characters in all', () => {
    rejects('tags', 'sale,50%off');
    // The combined length of the tags; commas and the spaces trimmed around them do not count.
    const tag = 'x'.repeat(99);
    expect(parse({ tags: Array(5).fill(0).map((_, i) => `${tag}${i}`).join(' , ') }).tags).toHaveLength(5);
    rejects('tags', `${'x'.repeat(300)},${'y'.repeat(201)}`);
    expect(parse({ tags: 'x'.repeat(500) }).tags).toEqual(['x'.repeat(500)]);
    rejects('tags', 'x'.repeat(501));
  });
});

describe('folder', () => {
  it.each([
    ['/', '/'],
    ['', '/'],
    ['images', '/images/'],
    ['/images/products', '/images/products/'],
    ['images/products/', '/images/products/'],
    ['//a///b//', '/a/b/'],
    ['/my_folder-2/', '/my_folder-2/'],
    ['/фото/日本/', '/фото/日本/'],
  ])('%j → %j', (input, expected) => {
    expect(parse({ folder: input }).folder).toBe(expected);
  });

  it.each(['/a/../b', '..', '/a.b/', '/my folder/', '/a\\b/', '/a%2Fb/', '/a?b'])('%j is refused', (input) => {
    rejects('folder', input);
  });

  it('allows 50 levels, not 51', () => {
    expect(parse({ folder: '/a'.repeat(50) }).folder).toBe(`${'/a'.repeat(50)}/`);
    rejects('folder', '/a'.repeat(51));
  });
});

describe('customCoordinates', () => {
  it('normalises x,y,w,h', () => {
    expect(parse({ customCoordinates: '10,10,100,100' }).customCoordinates).toBe('10,10,100,100');
    expect(parse({ customCoordinates: ' 0, 5 ,20, 30 ' }).customCoordinates).toBe('0,5,20,30');
  });

  it('empty is null', () => {
    expect(parse({ customCoordinates: '' }).customCoordinates).toBeNull();
  });

  it.each(['10,10,100', '10,10,100,100,1', '-1,0,10,10', '1.5,0,10,10', 'a,b,c,d', '0,0,0,10', '0,0,10,0'])('%j is refused', (v) => {
    rejects('customCoordinates', v);
  });
});

describe('customMetadata', () => {
  it('a JSON object of scalars and arrays of scalars', () => {
    const value = { brand: 'Nike', price: 10.5, onSale: true, sizes: ['S', 'M'], codes: [1, 2] };
    expect(parse({ customMetadata: JSON.stringify(value) }).customMetadata).toEqual(value);
    expect(parse({ customMetadata: '' }).customMetadata).toBeUndefined();
  });

  it.each(['not json', '[1,2]', '"text"', 'null', '{"a":{"b":1}}', '{"a":null}', '{"a":[{"b":1}]}'])('%j is refused', (v) => {
    rejects('customMetadata', v);
  });
});

describe('responseFields', () => {
  it('a comma list of the allowed names, deduplicated', () => {
    expect(parse({ responseFields: 'tags, customCoordinates,tags,metadata' }).responseFields).toEqual([
      'tags',
      'customCoordinates',
      'metadata',
    ]);
    expect(parse({ responseFields: '' }).responseFields).toEqual([]);
  });

  it('an unknown name is a 400 that says which', () => {
    expect(rejects('responseFields', 'tags,fileId').message).toContain('"fileId"');
  });
});

describe('extensions', () => {
  const ext = (value: unknown) => parse({ extensions: JSON.stringify(value) }).extensions;

  it('accepts every ImageKit extension', () => {
    const all = [
      { name: 'remove-bg', options: { add_shadow: true, bg_color: 'fff', semitransparency: false } },
      { name: 'google-auto-tagging', maxTags: 5, minConfidence: 80 },
      { name: 'aws-auto-tagging', maxTags: 0, minConfidence: 100 },
      { name: 'ai-auto-description' },
      { name: 'ai-tasks', tasks: [{ type: 'yes_no', instruction: 'Is it red?' }, { type: 'select_metadata', field: 'c', instruction: 'Colour?' }] },
      { name: 'saved-extension', id: 'ext_1' },
      { name: 'saved-extension', id: 'ext_2' },
    ];
    expect(ext(all)).toEqual(all);
    expect(ext([])).toEqual([]);
    expect(parse({ extensions: '' }).extensions).toEqual([]);
  });

  it.each([
    ['not JSON', 'nope'],
    ['an object', { name: 'remove-bg' }],
    ['no name', [{ maxTags: 1 }]],
    ['an unknown name', [{ name: 'auto-crop' }]],
    ['tagging without maxTags', [{ name: 'google-auto-tagging', minConfidence: 50 }]],
    ['maxTags over 30', [{ name: 'aws-auto-tagging', maxTags: 31, minConfidence: 50 }]],
    ['minConfidence over 100', [{ name: 'aws-auto-tagging', maxTags: 3, minConfidence: 101 }]],
    ['an unknown key', [{ name: 'ai-auto-description', mode: 'long' }]],
    ['an unknown remove-bg option', [{ name: 'remove-bg', options: { crop: true } }]],
    ['both backgrounds', [{ name: 'remove-bg', options: { bg_color: 'fff', bg_image_url: 'https://x/y.jpg' } }]],
    ['ai-tasks without tasks', [{ name: 'ai-tasks', tasks: [] }]],
    ['a task of unknown type', [{ name: 'ai-tasks', tasks: [{ type: 'guess', instruction: 'x' }] }]],
    ['select_metadata without field', [{ name: 'ai-tasks', tasks: [{ type: 'select_metadata', instruction: 'x' }] }]],
    ['saved-extension without id', [{ name: 'saved-extension' }]],
    ['the same extension twice', [{ name: 'ai-auto-description' }, { name: 'ai-auto-description' }]],
  ])('%s is refused', (_name, value) => {
    rejects('extensions', typeof value === 'string' ? value : JSON.stringify(value));
  });

  it('extensionStatus reports every requested extension as failed, and nothing when none was requested', () => {
    const extensions = ext([
      { name: 'google-auto-tagging', maxTags: 5, minConfidence: 80 },
      { name: 'remove-bg' },
      { name: 'ai-auto-description' },
    ]);
    expect(extensionStatus(extensions)).toEqual({
      'google-auto-tagging': 'failed',
      'remove-bg': 'failed',
      'ai-auto-description': 'failed',
    });
    expect(extensionStatus([])).toBeUndefined();
  });
});

describe('webhookUrl and description', () => {
  it('webhookUrl must be http(s)', () => {
    expect(parse({ webhookUrl: 'https://hooks.example.com/ik' }).webhookUrl).toBe('https://hooks.example.com/ik');
    rejects('webhookUrl', 'ftp://hooks.example.com/');
    rejects('webhookUrl', 'not a url');
  });

  it('description is kept up to 1024 characters', () => {
    expect(parse({ description: 'A red shirt' }).description).toBe('A red shirt');
    expect(parse({ description: 'd'.repeat(1024) }).description).toHaveLength(1024);
    rejects('description', 'd'.repeat(1025));
  });
});

describe('unsupported, unknown and repeated fields', () => {
  it.each([
    ['transformation', JSON.stringify({ pre: 'w-100' })],
    ['checks', "'file.size' < '1mb'"],
  ])('%s is refused, never ignored', (name, value) => {
    expect(rejects(name, value).message).toContain('not supported');
  });

  it('an empty checks (what the browser SDK sends when unset) is no request at all', () => {
    expect(() => parse({ checks: '' })).not.toThrow();
  });

  it('an unknown field is a 400 naming it', () => {
    expect(error400(() => parse({ overwrite: 'true' })).message).toContain('"overwrite"');
  });

  it('a repeated field is a 400 naming it', () => {
    const f = form({ tags: 'a' });
    f.append('tags', 'b');
    expect(error400(() => parseUploadForm(f)).message).toContain('"tags"');
  });
});

describe('checkExtensions (an already parsed value, e.g. from a JSON body)', () => {
  it('checks the same way and names the given field', () => {
    expect(checkExtensions([{ name: 'ai-auto-description' }], 'extensions')).toEqual([{ name: 'ai-auto-description' }]);
    const e = error400(() => checkExtensions({ name: 'remove-bg' }, 'extensions'));
    expect(e.message).toContain('"extensions"');
    expect(error400(() => checkExtensions([{ name: 'nope' }], 'ext')).message).toContain('"ext"');
  });
});
