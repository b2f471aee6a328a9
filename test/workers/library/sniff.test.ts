/**
 * Sniffing uploads inside workerd: the header probe for our image formats (real fixtures), SVG from its text, and
 * `file-type` for everything else — which also proves `file-type` runs here without Node built-ins.
 */
import { describe, expect, it } from 'vitest';
import { concat as concatBytes } from '../../../src/codecs/concat';
import { HttpError } from '../../../src/http/errors';
import { sniffFile } from '../../../src/library/sniff';
import { fixtures } from '../../fixtures/registry';
import { fixtureBytes } from '../helpers';

const ascii = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]) => concatBytes(parts);
/** An ISO BMFF `ftyp` box with the given major and compatible brands. */
const ftyp = (major: string, ...compatible: string[]) => {
  const size = 16 + 4 * compatible.length;
  return concat(new Uint8Array([0, 0, 0, size]), ascii('ftyp'), ascii(major), new Uint8Array([0, 0, 2, 0]), ...compatible.map(ascii));
};

async function sniffError(bytes: Uint8Array, name: string): Promise<HttpError> {
  const e = await sniffFile(bytes, name).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HttpError);
  expect((e as HttpError).status).toBe(400);
  return e as HttpError;
}

describe('images the header probe reads', () => {
  it.each([
    ['jpegBaseline', 'image/jpeg', 'jpg', 227, 149, false],
    ['basn6a08', 'image/png', 'png', 32, 32, true],
    ['webpAlpha', 'image/webp', 'webp', 64, 48, true],
    ['webpLossy', 'image/webp', 'webp', 227, 149, false],
    ['avifOpaque', 'image/avif', 'avif', 227, 149, false],
    ['avifAlpha', 'image/avif', 'avif', 64, 48, true],
    ['gifTransparent', 'image/gif', 'gif', 64, 48, true],
    ['gifAnimated', 'image/gif', 'gif', 32, 24, true],
    ['heicGrid', 'image/heic', 'heic', 720, 480, false],
    ['heicAlpha', 'image/heic', 'heic', 160, 120, true],
    ['heicGridRotated', 'image/heic', 'heic', 480, 720, false], // irot 1: as displayed
  ] as const)('%s → %s', async (name, mime, format, width, height, hasAlpha) => {
    const bytes = await fixtureBytes(fixtures[name].path);
    // The file name's extension is deliberately wrong: the bytes decide.
    expect(await sniffFile(bytes, 'upload.bin')).toEqual({ mime, format, fileType: 'image', width, height, hasAlpha });
  });

  it('reports the dimensions as displayed, after EXIF orientation', async () => {
    const bytes = await fixtureBytes(fixtures.landscape6.path); // stored 1200×1800, orientation 6
    expect(await sniffFile(bytes, 'l6.jpg')).toMatchObject({ format: 'jpg', width: 1800, height: 1200 });
  });

  it('a JPEG whose header is cut short is a 400 naming the file', async () => {
    const bytes = (await fixtureBytes(fixtures.jpegBaseline.path)).slice(0, 40);
    const e = await sniffError(bytes, 'broken.jpg');
    expect(e.message).toContain('"broken.jpg"');
    expect(e.message).toContain('JPG');
  });

  it('a JPEG signature followed by garbage is a 400', async () => {
    await sniffError(concat(new Uint8Array([0xff, 0xd8, 0xff, 0x00]), new Uint8Array(64).fill(0x55)), 'garbage.jpg');
  });

  it('a PNG with a broken IHDR is a 400', async () => {
    await sniffError(await fixtureBytes(fixtures.xhdn0g08.path), 'x.png');
  });
});

describe('SVG', () => {
  it('after an XML prolog, comments and a doctype, with numeric width and height', async () => {
    const svg = ascii(
      '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- drawn by hand -->\n' +
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [ <!ENTITY e "x>y"> ]>\n' +
        '<svg xmlns="http://www.w3.org/2000/svg" stroke-width="9" width="120px" height=\'80\' viewBox="0 0 120 80"><rect width="5" height="5"/></svg>',
    );
    expect(await sniffFile(svg, 'logo.svg')).toEqual({ mime: 'image/svg+xml', format: 'svg', fileType: 'image', width: 120, height: 80 });
  });

  it('without numeric dimensions', async () => {
    const svg = ascii('<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 10 10"/>');
    expect(await sniffFile(svg, 'icon')).toEqual({ mime: 'image/svg+xml', format: 'svg', fileType: 'image' });
  });

  it('an XML document with another root is not SVG', async () => {
    const xml = ascii('<?xml version="1.0"?><html><svg width="10" height="10"/></html>');
    expect((await sniffFile(xml, 'page.svg')).format).not.toBe('svg');
  });
});

describe('other files, by file-type', () => {
  it('a PDF', async () => {
    const pdf = ascii(
      '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' +
        'trailer<</Root 1 0 R>>\n%%EOF\n',
    );
    expect(await sniffFile(pdf, 'doc.bin')).toEqual({ mime: 'application/pdf', format: 'pdf', fileType: 'non-image' });
  });

  it('an MP4 header', async () => {
    const mp4 = concat(ftyp('isom', 'isom', 'iso2', 'avc1', 'mp41'), new Uint8Array([0, 0, 0, 8]), ascii('free'));
    expect(await sniffFile(mp4, 'clip')).toEqual({ mime: 'video/mp4', format: 'mp4', fileType: 'non-image' });
  });

  it('a QuickTime header', async () => {
    const mov = concat(ftyp('qt  ', 'qt  '), new Uint8Array([0, 0, 0, 8]), ascii('wide'));
    expect(await sniffFile(mov, 'clip.mov')).toEqual({ mime: 'video/quicktime', format: 'mov', fileType: 'non-image' });
  });

  it('a WOFF2 font', async () => {
    const woff2 = concat(ascii('wOF2'), ascii('OTTO'), new Uint8Array(40));
    expect(await sniffFile(woff2, 'font')).toEqual({ mime: 'font/woff2', format: 'woff2', fileType: 'non-image' });
  });

  it('an image type the probe does not read is still an image, without dimensions', async () => {
    const bmp = concat(ascii('BM'), new Uint8Array([0x46, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 0x28, 0, 0, 0]), new Uint8Array(48));
    expect(await sniffFile(bmp, 'x')).toEqual({ mime: 'image/bmp', format: 'bmp', fileType: 'image' });
  });

  it('unknown bytes are application/octet-stream, format from the extension', async () => {
    const text = ascii('just some notes\n');
    expect(await sniffFile(text, 'Notes.TXT')).toEqual({ mime: 'application/octet-stream', format: 'txt', fileType: 'non-image' });
    expect(await sniffFile(text, 'README')).toEqual({ mime: 'application/octet-stream', format: '', fileType: 'non-image' });
    expect(await sniffFile(text, '.env')).toEqual({ mime: 'application/octet-stream', format: '', fileType: 'non-image' });
  });
});
