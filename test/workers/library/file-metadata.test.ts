/**
 * ImageKit's Metadata object and embeddedMetadata, read inside workerd from real fixtures, plus a few files built
 * here to carry what no fixture has (GPS and interoperability IFDs, ICC profiles, XMP).
 */
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/codecs/crc32';
import { HttpError } from '../../../src/http/errors';
import {
  describeMetadata,
  embeddedMetadata,
  EMBEDDED_MAX_KEYS,
  hasColorProfile,
  hashFromLuma,
  jpegQuality,
  pHashDistance,
  type FileMetadata,
} from '../../../src/library/file-metadata';
import { fixtures } from '../../fixtures/registry';
import { fixtureBytes } from '../helpers';

// --- building test files ----------------------------------------------------------------------------------------

/** [tag, TIFF type (1 BYTE, 2 ASCII, 3 SHORT, 4 LONG, 5 RATIONAL as num,den pairs, 7 UNDEFINED), value]. */
type Entry = [number, 1 | 2 | 3 | 4 | 5 | 7, number[] | string];
const TYPE_SIZE = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1 } as const;

function entryBytes([, type, value]: Entry): { count: number; data: Uint8Array } {
  if (typeof value === 'string') {
    const text = new TextEncoder().encode(type === 2 ? `${value}\0` : value);
    return { count: text.length, data: text };
  }
  const count = type === 5 ? value.length / 2 : value.length;
  const data = new Uint8Array(count * TYPE_SIZE[type]);
  const view = new DataView(data.buffer);
  value.forEach((v, i) => {
    if (type === 3) view.setUint16(i * 2, v);
    else if (type === 4 || type === 5) view.setUint32(i * 4, v);
    else view.setUint8(i, v);
  });
  return { count, data };
}

/** A big-endian TIFF stream: IFD0 pointing at an Exif IFD (pointing at an Interop IFD) and a GPS IFD. */
function tiff(ifd0: Entry[], exif: Entry[], gps: Entry[], interop: Entry[]): Uint8Array {
  const blocks = [
    [...ifd0, [0x8769, 4, [0]], [0x8825, 4, [0]]],
    [...exif, [0xa005, 4, [0]]],
    gps,
    interop,
  ].map((entries) => (entries as Entry[]).sort((a, b) => a[0] - b[0]));
  const size = (entries: Entry[]) =>
    6 + 12 * entries.length + entries.reduce((n, e) => n + (entryBytes(e).data.length > 4 ? (entryBytes(e).data.length + 1) & ~1 : 0), 0);
  const offsets: number[] = [];
  let at = 8;
  for (const block of blocks) {
    offsets.push(at);
    at += size(block);
  }
  const pointers: Record<number, number> = { 0x8769: offsets[1]!, 0x8825: offsets[2]!, 0xa005: offsets[3]! };
  const out = new Uint8Array(at);
  const view = new DataView(out.buffer);
  out.set([0x4d, 0x4d, 0, 42, 0, 0, 0, 8]);
  blocks.forEach((entries, b) => {
    const start = offsets[b]!;
    let data = start + 6 + 12 * entries.length;
    view.setUint16(start, entries.length);
    entries.forEach((entry, i) => {
      const e = start + 2 + i * 12;
      const { count, data: bytes } = entryBytes(pointers[entry[0]] === undefined ? entry : [entry[0], 4, [pointers[entry[0]]!]]);
      view.setUint16(e, entry[0]);
      view.setUint16(e + 2, entry[1]);
      view.setUint32(e + 4, count);
      if (bytes.length <= 4) out.set(bytes, e + 8);
      else {
        view.setUint32(e + 8, data);
        out.set(bytes, data);
        data += (bytes.length + 1) & ~1;
      }
    });
  });
  return out;
}

const ascii = (text: string) => [...new TextEncoder().encode(text)];

/** A JPEG APPn segment. */
function app(n: number, ...parts: (number[] | Uint8Array)[]): number[] {
  const payload = parts.flatMap((p) => [...p]);
  const length = payload.length + 2;
  return [0xff, 0xe0 + n, length >> 8, length & 0xff, ...payload];
}

/** `jpeg` with `segments` inserted right after SOI. */
function withSegments(jpeg: Uint8Array, ...segments: number[][]): Uint8Array {
  return new Uint8Array([0xff, 0xd8, ...segments.flat(), ...jpeg.subarray(2)]);
}

/** `png` with a chunk inserted right after IHDR. */
function withPngChunk(png: Uint8Array, type: string, data: number[]): Uint8Array {
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set(ascii(type), 4);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk, 4, 8 + data.length));
  const ihdrEnd = 8 + 25;
  return new Uint8Array([...png.subarray(0, ihdrEnd), ...chunk, ...png.subarray(ihdrEnd)]);
}

const EXIF_ENTRIES = {
  ifd0: [
    [0x010f, 2, 'Canon'],
    [0x0110, 2, 'Canon EOS 40D'],
    [0x011a, 5, [300, 1]],
    [0x011b, 5, [300, 1]],
    [0x0128, 3, [2]],
    [0x0131, 2, 'GIMP 2.4.5'],
    [0x0132, 2, '2008:07:31 10:38:11'],
    [0xc4a5, 7, Array.from({ length: 200 }, (_, i) => i)], // PrintIM: a binary blob
  ] as Entry[],
  exif: [
    [0x829a, 5, [1, 160]],
    [0x829d, 5, [71, 10]],
    [0x8827, 3, [100]],
    [0x9000, 7, '0221'],
    [0x9003, 2, '2008:05:30 15:56:01'],
    [0x9286, 7, 'ASCII\0\0\0hello world'],
  ] as Entry[],
  gps: [
    [0x0000, 1, [2, 2, 0, 0]],
    [0x0001, 2, 'S'],
    [0x0002, 5, [43, 1, 28, 1, 2, 1]],
    [0x0003, 2, 'W'],
    [0x0004, 5, [11, 1, 53, 1, 0, 1]],
  ] as Entry[],
  interop: [
    [0x0001, 2, 'R98'],
    [0x0002, 7, '0100'],
  ] as Entry[],
};

const XMP = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:State="Province/State"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">The Title</rdf:li></rdf:Alt></dc:title><dc:description><rdf:Alt><rdf:li xml:lang="x-default">A caption</rdf:li></rdf:Alt></dc:description><dc:subject><rdf:Bag><rdf:li>one</rdf:li><rdf:li>two</rdf:li></rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;

/** testorig.jpg with EXIF (IFD0, Exif, GPS, Interop), an ICC profile and XMP. */
async function richJpeg(): Promise<Uint8Array> {
  const { ifd0, exif, gps, interop } = EXIF_ENTRIES;
  return withSegments(
    await fixtureBytes(fixtures.jpegBaseline.path),
    app(1, ascii('Exif\0\0'), tiff(ifd0, exif, gps, interop)),
    app(2, ascii('ICC_PROFILE\0'), [1, 1], new Uint8Array(128)),
    app(1, ascii('http://ns.adobe.com/xap/1.0/\0'), ascii(XMP)),
  );
}

async function metadataOf(path: string): Promise<FileMetadata> {
  return describeMetadata(await fixtureBytes(path));
}

async function failure(bytes: Uint8Array): Promise<HttpError> {
  try {
    await describeMetadata(bytes);
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected an HttpError');
}

const EMPTY_EXIF = { image: {}, thumbnail: {}, exif: {}, gps: {}, interoperability: {}, makernote: {} };

// --- tests ------------------------------------------------------------------------------------------------------

describe('describeMetadata: JPEG', () => {
  it('reports an EXIF photo with ImageKit field names', async () => {
    const bytes = await fixtureBytes(fixtures.landscape6.path);
    const metadata = await describeMetadata(bytes);
    expect(metadata).toEqual({
      height: 1800,
      width: 1200,
      size: bytes.byteLength,
      format: 'jpg',
      hasColorProfile: false,
      quality: expect.any(Number),
      density: 72,
      hasTransparency: false,
      pHash: expect.stringMatching(/^[0-9a-f]{16}$/),
      exif: {
        image: { Orientation: 6, XResolution: 72, YResolution: 72, ResolutionUnit: 2, YCbCrPositioning: 1 },
        thumbnail: {},
        exif: {},
        gps: {},
        interoperability: {},
        makernote: {},
      },
    });
    expect(JSON.parse(JSON.stringify(metadata))).toEqual(metadata);
  });

  it('reads every EXIF group, renaming pointers the way ImageKit does and leaving binary blobs out', async () => {
    const metadata = await describeMetadata(await richJpeg());
    expect(metadata.exif.image).toEqual({
      Make: 'Canon',
      Model: 'Canon EOS 40D',
      XResolution: 300,
      YResolution: 300,
      ResolutionUnit: 2,
      Software: 'GIMP 2.4.5',
      ModifyDate: '2008:07:31 10:38:11',
      ExifOffset: expect.any(Number),
      GPSInfo: expect.any(Number),
    });
    expect(metadata.exif.exif).toEqual({
      ExposureTime: 0.00625,
      FNumber: 7.1,
      ISO: 100,
      ExifVersion: '0221',
      DateTimeOriginal: '2008:05:30 15:56:01',
      UserComment: 'hello world',
      InteropOffset: expect.any(Number),
    });
    expect(metadata.exif.gps).toEqual({
      GPSVersionID: [2, 2, 0, 0],
      GPSLatitudeRef: 'S',
      GPSLatitude: [43, 28, 2],
      GPSLongitudeRef: 'W',
      GPSLongitude: [11, 53, 0],
    });
    expect(metadata.exif.interoperability).toEqual({ InteropIndex: 'R98', InteropVersion: '0100' });
    expect(metadata.exif.makernote).toEqual({});
    expect(metadata.hasColorProfile).toBe(true);
    expect(metadata.density).toBe(300);
    expect(metadata.quality).toBe(75);
  });

  it('estimates the quality the encoder was given', async () => {
    const cases: [string, number][] = [
      [fixtures.jpegBaseline.path, 75],
      [fixtures.photo1000x800.path, 85],
      [fixtures.photo6000x4000.path, 70],
      [fixtures.jpegProgressive.path, 80],
      [fixtures.jpegGrey.path, 80],
      [fixtures.jpegCmyk.path, 80],
    ];
    for (const [path, quality] of cases) {
      expect([path, jpegQuality(await fixtureBytes(path))]).toEqual([path, quality]);
    }
  });

  it('gives quality 100 for all-ones tables and nothing for a file without DQT', async () => {
    const dqt = [0xff, 0xdb, 0, 67, 0x00, ...new Array<number>(64).fill(1)];
    expect(jpegQuality(new Uint8Array([0xff, 0xd8, ...dqt, 0xff, 0xda]))).toBe(100);
    expect(jpegQuality(new Uint8Array([0xff, 0xd8, 0xff, 0xda]))).toBeUndefined();
  });

  it('reports a 12-bit JPEG with an ICC profile, without a pHash (it is not decoded)', async () => {
    const metadata = await metadataOf(fixtures.jpeg12bit.path);
    expect(metadata).toMatchObject({ width: 149, height: 227, format: 'jpg', hasColorProfile: true, pHash: '' });
  });

  it('still reports the header of a JPEG whose pixel data is cut short', async () => {
    const metadata = await metadataOf(fixtures.jpegTruncated.path);
    expect(metadata).toMatchObject({ width: 227, height: 149, format: 'jpg', quality: 75, pHash: '' });
  });

  it('never decodes a huge JPEG for the pHash', async () => {
    const started = Date.now();
    const metadata = await metadataOf(fixtures.jpegBomb.path);
    expect(metadata).toMatchObject({ width: 30000, height: 30000, pHash: '' });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('describeMetadata: other formats', () => {
  it('reads a PNG with an eXIf chunk, thumbnail group included', async () => {
    const bytes = await fixtureBytes(fixtures.exif2c08.path);
    const metadata = await describeMetadata(bytes);
    expect(metadata).toMatchObject({
      width: 32,
      height: 32,
      size: bytes.byteLength,
      format: 'png',
      quality: 0,
      density: 72,
      hasColorProfile: false,
      hasTransparency: false,
      pHash: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(metadata.exif.image).toMatchObject({ Orientation: 1, Copyright: '2017 Willem van Schaik', ExifOffset: expect.any(Number) });
    expect(metadata.exif.thumbnail).toMatchObject({ Compression: 6, ThumbnailOffset: expect.any(Number), ThumbnailLength: 663 });
    expect(metadata.exif.exif).toMatchObject({ ExifVersion: '0220', FlashpixVersion: '0100', ColorSpace: 65535, UserComment: 'PngSuite' });
  });

  it('reads transparency, pHYs density and an iCCP profile from PNG headers', async () => {
    expect(await metadataOf(fixtures.basn6a08.path)).toMatchObject({ hasTransparency: true, exif: EMPTY_EXIF, density: 72 });
    expect((await metadataOf('images/pngsuite/cdun2c08.png')).density).toBe(25); // 1000 pixels per metre
    const plain = await fixtureBytes(fixtures.basn2c08.path);
    const profiled = withPngChunk(plain, 'iCCP', [...ascii('icc\0'), 0, 0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    expect((await describeMetadata(plain)).hasColorProfile).toBe(false);
    expect((await describeMetadata(profiled)).hasColorProfile).toBe(true);
  });

  it('does not decode a huge PNG for the pHash', async () => {
    expect(await metadataOf(fixtures.pngBomb.path)).toMatchObject({ width: 16384, height: 16384, format: 'png', pHash: '' });
  });

  it('reads a WebP: EXIF chunk, ICC chunk, pHash', async () => {
    const metadata = await metadataOf(fixtures.webpExifOrientation6.path);
    expect(metadata).toMatchObject({
      width: 227,
      height: 149,
      format: 'webp',
      hasColorProfile: true,
      hasTransparency: false,
      quality: 0,
      pHash: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(metadata.exif.image).toMatchObject({ Orientation: 6 });
    expect(await metadataOf(fixtures.webpAlpha.path)).toMatchObject({ format: 'webp', hasTransparency: true, hasColorProfile: false });
  });

  it('reads AVIF and GIF headers', async () => {
    expect(await metadataOf(fixtures.avifAlpha.path)).toMatchObject({
      width: 64,
      height: 48,
      format: 'avif',
      hasTransparency: true,
      hasColorProfile: false,
      exif: EMPTY_EXIF,
    });
    // GIFs decode (their first frame), so they are hashed too.
    expect(await metadataOf(fixtures.gifTransparent.path)).toMatchObject({ format: 'gif', hasTransparency: true, pHash: expect.stringMatching(/^[0-9a-f]{16}$/), density: 72 });
  });
});

describe('hasColorProfile: AVIF', () => {
  /** An ISOBMFF box. */
  const box = (type: string, ...payload: number[][]) => {
    const body = payload.flat();
    const size = 8 + body.length;
    return [size >>> 24, (size >> 16) & 0xff, (size >> 8) & 0xff, size & 0xff, ...ascii(type), ...body];
  };
  const avif = (colour: string) =>
    new Uint8Array([
      ...box('ftyp', ascii('avif'), [0, 0, 0, 0], ascii('mif1')),
      ...box('meta', [0, 0, 0, 0], box('iprp', box('ipco', box('colr', ascii(colour), [0, 1, 0, 13, 0, 6, 0x80])))),
    ]);

  it('is true for a colr box with an ICC profile, false for nclx colour information', () => {
    expect(hasColorProfile(avif('prof'), 'avif')).toBe(true);
    expect(hasColorProfile(avif('rICC'), 'avif')).toBe(true);
    expect(hasColorProfile(avif('nclx'), 'avif')).toBe(false);
  });
});

describe('describeMetadata: files that are not readable images', () => {
  it('answers 400 for something that is not an image', async () => {
    const e = await failure(new TextEncoder().encode('%PDF-1.7 not an image'));
    expect(e.status).toBe(400);
  });

  it('answers 422 for a damaged header', async () => {
    expect((await failure(await fixtureBytes(fixtures.xhdn0g08.path))).status).toBe(422); // IHDR CRC mismatch
    expect((await failure((await fixtureBytes(fixtures.jpegBaseline.path)).subarray(0, 100))).status).toBe(422);
    const e = await failure(new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    expect(e.status).toBe(422);
    expect(e.message).toContain('damaged');
  });
});

describe('pHash', () => {
  it('is the same picture whatever the EXIF orientation it was stored with', async () => {
    const hashes = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7, 8].map(async (n) => (await metadataOf(`images/exif/Landscape_${n}.jpg`)).pHash),
    );
    for (const hash of hashes) expect(pHashDistance(hash, hashes[0]!)).toBeLessThanOrEqual(4);
  });

  it('stays close across sizes and differs between pictures', async () => {
    const small = (await metadataOf(fixtures.photo1000x800.path)).pHash;
    const large = (await metadataOf(fixtures.photo4000x3000.path)).pHash;
    const source = (await metadataOf(fixtures.landscape1.path)).pHash;
    const other = (await metadataOf(fixtures.jpegBaseline.path)).pHash;
    expect(pHashDistance(small, large)).toBeLessThanOrEqual(8);
    expect(pHashDistance(source, large)).toBeLessThanOrEqual(8);
    expect(pHashDistance(source, other)).toBeGreaterThanOrEqual(16);
  });

  it('hashFromLuma sets half the bits around the median; pHashDistance counts differing bits', () => {
    const ramp = new Float64Array(32 * 32).map((_, i) => (i % 32) * 8 + Math.floor(i / 32));
    const hash = hashFromLuma(ramp);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(pHashDistance(hash, hash)).toBe(0);
    expect(pHashDistance('63433b3ccf8e1ebe', 'f5d2226cd9d32b16')).toBe(27);
    expect(pHashDistance('63433b3ccf8e1ebe', '61433b3fcf8f9faf')).toBe(8);
    expect(pHashDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
  });
});

describe('embeddedMetadata', () => {
  it('flattens EXIF and XMP, with ISO dates and decimal GPS, without IFD pointers or blobs', async () => {
    const embedded = await embeddedMetadata(await richJpeg());
    expect(embedded).toEqual({
      Make: 'Canon',
      Model: 'Canon EOS 40D',
      XResolution: 300,
      YResolution: 300,
      ResolutionUnit: 2,
      Software: 'GIMP 2.4.5',
      ModifyDate: '2008-07-31T10:38:11.000Z',
      ExposureTime: 0.00625,
      FNumber: 7.1,
      ISO: 100,
      ExifVersion: '0221',
      DateTimeOriginal: '2008-05-30T15:56:01.000Z',
      UserComment: 'hello world',
      GPSVersionID: [2, 2, 0, 0],
      GPSLatitudeRef: 'S',
      GPSLatitude: -43.4672222,
      GPSLongitudeRef: 'W',
      GPSLongitude: -11.8833333,
      State: 'Province/State',
      Title: 'The Title',
      Description: 'A caption',
      Subject: ['one', 'two'],
    });
  });

  it('reads PNG and WebP EXIF, and gives {} for files without metadata or that are not images', async () => {
    expect(await embeddedMetadata(await fixtureBytes(fixtures.exif2c08.path))).toMatchObject({
      Copyright: '2017 Willem van Schaik',
      ExifVersion: '0220',
      UserComment: 'PngSuite',
    });
    expect(await embeddedMetadata(await fixtureBytes(fixtures.webpExifOrientation6.path))).toMatchObject({ Orientation: 6 });
    expect(await embeddedMetadata(await fixtureBytes(fixtures.basn2c08.path))).toEqual({});
    expect(await embeddedMetadata(await fixtureBytes(fixtures.gifAnimated.path))).toEqual({});
    expect(await embeddedMetadata(new TextEncoder().encode('just some text, not an image at all'))).toEqual({});
    expect(await embeddedMetadata(new Uint8Array())).toEqual({});
  });

  it('stays bounded: at most 200 keys, strings cut at 1000 characters', async () => {
    const properties = Array.from({ length: 300 }, (_, i) => `photoshop:P${i}="v${i}"`).join(' ');
    const long = 'x'.repeat(5000);
    const xmp = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Headline="${long}" ${properties}/></rdf:RDF></x:xmpmeta>`;
    const bytes = withSegments(await fixtureBytes(fixtures.jpegBaseline.path), app(1, ascii('http://ns.adobe.com/xap/1.0/\0'), ascii(xmp)));
    const embedded = await embeddedMetadata(bytes);
    expect(Object.keys(embedded)).toHaveLength(EMBEDDED_MAX_KEYS);
    expect(embedded.Headline).toHaveLength(1000);
  });
});
