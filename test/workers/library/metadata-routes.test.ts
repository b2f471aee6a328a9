/**
 * The metadata routes through `@imagekit/nodejs` (`client.files.metadata.get` / `getFromURL`): a stored file's
 * current version, and exactly what a delivery URL delivers.
 */
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/registry';
import { fixtureBytes, get, putOriginal } from '../helpers';
import { failure, fileAt, type LibraryTenant, newLibraryTenant } from '../library-helpers';

const JPEG = fixtures.jpegBaseline; // 227×149
const PNG = fixtures.pngAlphaGradient; // 64×48, alpha

async function stored(t: LibraryTenant, path: string, fixture: { path: string }, mime = 'image/jpeg'): Promise<{ fileId: string; bytes: Uint8Array }> {
  const bytes = await fixtureBytes(fixture.path);
  await putOriginal(t.tenantId, path, bytes, mime);
  return { fileId: (await fileAt(t.tenantId, `/${path}`))!.fileId, bytes };
}

describe('file metadata routes', () => {
  it("describes a stored JPEG and PNG: dimensions, format, size", async () => {
    const t = await newLibraryTenant();
    const jpeg = await stored(t, 'a.jpg', JPEG);
    const png = await stored(t, 'b.png', PNG, 'image/png');
    expect(await t.client.files.metadata.get(jpeg.fileId)).toMatchObject({
      width: 227,
      height: 149,
      format: 'jpg',
      size: jpeg.bytes.length,
      hasTransparency: false,
    });
    expect(await t.client.files.metadata.get(png.fileId)).toMatchObject({
      width: 64,
      height: 48,
      format: 'png',
      size: png.bytes.length,
      hasTransparency: true,
    });
  });

  it("describes the file's current version", async () => {
    const t = await newLibraryTenant();
    const { fileId } = await stored(t, 'a.jpg', JPEG);
    await putOriginal(t.tenantId, 'a.jpg', await fixtureBytes(fixtures.photo1000x800.path));
    expect(await t.client.files.metadata.get(fileId)).toMatchObject({ width: 1000, height: 800 });
  });

  it('answers 404 for an unknown file, and for another tenant\'s', async () => {
    const t = await newLibraryTenant();
    const other = await newLibraryTenant();
    const { fileId } = await stored(other, 'a.jpg', JPEG);
    expect((await failure(t.client.files.metadata.get('0123456789abcdef01234567'))).status).toBe(404);
    expect((await failure(t.client.files.metadata.get(fileId))).status).toBe(404);
  });

  it('describes exactly what a delivery URL delivers, transformations included', async () => {
    const t = await newLibraryTenant();
    await stored(t, 'photos/a.jpg', JPEG);
    const url = `${t.endpoint}/tr:w-100/photos/a.jpg`;
    const delivered = new Uint8Array(await (await get(`/${t.tenantId}/tr:w-100/photos/a.jpg`)).arrayBuffer());
    const metadata = await t.client.files.metadata.getFromURL({ url });
    expect(metadata).toMatchObject({ width: 100, height: 66, format: 'jpg', size: delivered.length });

    expect(await t.client.files.metadata.getFromURL({ url: `${t.endpoint}/photos/a.jpg?tr=w-50,f-png` })).toMatchObject({
      width: 50,
      format: 'png',
    });
    expect(await t.client.files.metadata.getFromURL({ url: `${t.endpoint}/photos/a.jpg` })).toMatchObject({ width: 227, height: 149 });
  });

  it("answers a failed delivery with its status and message", async () => {
    const t = await newLibraryTenant();
    const missing = await failure(t.client.files.metadata.getFromURL({ url: `${t.endpoint}/nope.jpg` }));
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain('nope.jpg');
    await stored(t, 'a.jpg', JPEG);
    const badStep = await failure(t.client.files.metadata.getFromURL({ url: `${t.endpoint}/tr:w-abc/a.jpg` }));
    expect(badStep.status).toBe(400);
  });

  it("refuses a URL that is not the caller's own delivery URL with a 400 naming url", async () => {
    const t = await newLibraryTenant();
    const other = await newLibraryTenant();
    await stored(other, 'a.jpg', JPEG);
    for (const url of [`${other.endpoint}/a.jpg`, `https://elsewhere.example/${t.tenantId}/a.jpg`, 'a.jpg', '']) {
      const refused = await failure(t.client.files.metadata.getFromURL({ url }));
      expect(refused.status, url).toBe(400);
      expect(refused.body.message, url).toContain('"url"');
    }
  });
});
