/**
 * File management through `@imagekit/nodejs`: the File object of GET /v1/files/:id/details, PATCH details and
 * publish, delete, the bulk routes (delete, addTags, removeTags, removeAITags, all or nothing), the 400s that
 * name the field, `x-ik-requestId`, read-only keys and tenant isolation.
 */
import { env, runInDurableObject, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { variantPrefix } from '../../../src/cache/keys';
import { fixtures } from '../../fixtures/registry';
import { addKey, callApi } from '../api-helpers';
import { decodeResponse, fixtureBytes, get } from '../helpers';
import { failure, type LibraryTenant, newLibraryTenant, sdkFor } from '../library-helpers';

const IMAGE = fixtures.jpegBaseline;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * testorig.jpg with an EXIF APP1 segment: IFD0 with Make (ASCII) and Orientation (SHORT, 1), big-endian TIFF.
 */
async function exifJpeg(make: string): Promise<Uint8Array> {
  const base = await fixtureBytes(IMAGE.path);
  const makeBytes = [...new TextEncoder().encode(make), 0];
  const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
  const u32 = (n: number) => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  const dataOffset = 8 + 2 + 2 * 12 + 4;
  const tiff = [
    0x4d, 0x4d, ...u16(42), ...u32(8),
    ...u16(2),
    ...u16(0x010f), ...u16(2), ...u32(makeBytes.length), ...u32(dataOffset),
    ...u16(0x0112), ...u16(3), ...u32(1), ...u16(1), 0, 0,
    ...u32(0),
    ...makeBytes,
  ];
  const payload = [...new TextEncoder().encode('Exif\0\0'), ...tiff];
  const segment = [0xff, 0xe1, ...u16(payload.length + 2), ...payload];
  const out = new Uint8Array(base.length + segment.length);
  out.set(base.subarray(0, 2));
  out.set(segment, 2);
  out.set(base.subarray(2), 2 + segment.length);
  return out;
}

const jpegFile = async (name = 'photo.jpg') => new File([await fixtureBytes(IMAGE.path)], name);

async function upload(t: LibraryTenant, name: string, extra: Record<string, unknown> = {}) {
  return t.client.files.upload({ file: await jpegFile(name), fileName: name, useUniqueFileName: false, ...extra });
}

/** Sets a file's AI tags the way an auto-tagging extension would have stored them. */
async function seedAiTags(t: LibraryTenant, fileId: string, tags: string[]): Promise<void> {
  const stub = env.MEDIA_LIBRARY.get(env.MEDIA_LIBRARY.idFromName(t.tenantId));
  const value = JSON.stringify(tags.map((name) => ({ name, confidence: 95, source: 'google-auto-tagging' })));
  await runInDurableObject(stub, (_instance, state) => {
    state.storage.sql.exec('UPDATE files SET ai_tags = ? WHERE id = ?', value, fileId);
  });
}

async function message(response: Response): Promise<string> {
  return ((await response.json()) as { message: string }).message;
}

describe('file details', () => {
  it('answers every field of ImageKit\'s File, with embedded EXIF', async () => {
    const t = await newLibraryTenant();
    const bytes = await exifJpeg('Edgepix Camera Co');
    const uploaded = await t.client.files.upload({ file: new File([bytes], 'cam.jpg'), fileName: 'cam.jpg', folder: '/shots', useUniqueFileName: false });
    const { data: file, response } = await t.client.files.get(uploaded.fileId!).withResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ik-requestId')).toMatch(/\S/);
    expect(file).toEqual({
      type: 'file',
      fileId: uploaded.fileId,
      name: 'cam.jpg',
      filePath: '/shots/cam.jpg',
      tags: null,
      AITags: null,
      versionInfo: { id: uploaded.fileId, name: 'Version 1' },
      isPrivateFile: false,
      isPublished: true,
      customCoordinates: null,
      customMetadata: {},
      embeddedMetadata: expect.objectContaining({ Make: 'Edgepix Camera Co', Orientation: 1 }),
      url: `${t.endpoint}/shots/cam.jpg`,
      thumbnail: `${t.endpoint}/tr:n-ik_ml_thumbnail/shots/cam.jpg`,
      fileType: 'image',
      mime: 'image/jpeg',
      width: IMAGE.width,
      height: IMAGE.height,
      size: bytes.length,
      hasAlpha: false,
      createdAt: expect.stringMatching(ISO),
      updatedAt: expect.stringMatching(ISO),
    });
    expect(file.fileId).toMatch(/^[0-9a-f]{24}$/);
    expect(file.createdAt).toBe(file.updatedAt);
    expect(Math.abs(Date.parse(file.createdAt!) - Date.now())).toBeLessThan(60_000);
    const byExif = await t.client.assets.list({ searchQuery: `"embeddedMetadata.Make" = "Edgepix Camera Co" AND id = "${file.fileId}"` });
    expect(byExif.map((f) => (f as { fileId?: string }).fileId)).toEqual([file.fileId]);
    expect(await t.client.assets.list({ searchQuery: '"embeddedMetadata.Make" = "Other"' })).toEqual([]);
    // The url delivers the image.
    const delivered = await SELF.fetch(file.url!);
    expect(delivered.status).toBe(200);
    expect((await decodeResponse(delivered)).width).toBe(IMAGE.width);
  });

  it('a PNG with alpha and a PDF: hasAlpha, no thumbnail or dimensions for a non-image', async () => {
    const t = await newLibraryTenant();
    const png = await t.client.files.upload({ file: new File([await fixtureBytes(fixtures.basn6a08.path)], 'a.png'), fileName: 'a.png' });
    expect(await t.client.files.get(png.fileId!)).toMatchObject({ fileType: 'image', mime: 'image/png', width: 32, height: 32, hasAlpha: true, embeddedMetadata: {} });
    const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const doc = await t.client.files.upload({ file: new File([pdf], 'doc.pdf'), fileName: 'doc.pdf', useUniqueFileName: false });
    const details = await t.client.files.get(doc.fileId!);
    expect(details).toMatchObject({ fileType: 'non-image', mime: 'application/pdf', size: pdf.length, hasAlpha: false, url: `${t.endpoint}/doc.pdf` });
    expect(details.thumbnail).toBeUndefined();
    expect(details.width).toBeUndefined();
    expect(details.height).toBeUndefined();
  });

  it('404 "The requested file does not exist." for an unknown id, with x-ik-requestId', async () => {
    const t = await newLibraryTenant();
    const missing = await failure(t.client.files.get('0123456789abcdef01234567'));
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('The requested file does not exist.');
    expect(missing.headers.get('x-ik-requestId')).toMatch(/\S/);
    const list = await t.client.assets.list().withResponse();
    expect(list.response.headers.get('x-ik-requestId')).toMatch(/\S/);
    expect(list.response.headers.get('x-ik-requestId')).not.toBe(missing.headers.get('x-ik-requestId'));
  });
});

describe('updating details', () => {
  it('changes tags, customCoordinates, customMetadata and description; null removes', async () => {
    const t = await newLibraryTenant();
    await t.client.customMetadataFields.create({ name: 'brand', label: 'Brand', schema: { type: 'Text' } });
    await t.client.customMetadataFields.create({ name: 'price', label: 'Price', schema: { type: 'Number', minValue: 0 } });
    const file = await upload(t, 'u.jpg', { tags: ['old'], customMetadata: { brand: 'acme', price: 5 } });
    const created = await t.client.files.get(file.fileId!);

    const updated = await t.client.files.update(file.fileId!, {
      tags: ['summer', 'sale', 'summer'],
      customCoordinates: '10,20,30,40',
      customMetadata: { price: 12.5 },
      description: 'On the beach',
    });
    expect(updated).toMatchObject({
      type: 'file',
      fileId: file.fileId,
      tags: ['summer', 'sale'],
      customCoordinates: '10,20,30,40',
      customMetadata: { brand: 'acme', price: 12.5 },
      description: 'On the beach',
      name: 'u.jpg',
    });
    expect(Date.parse(updated.updatedAt!)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt!));
    expect(updated.createdAt).toBe(created.createdAt);
    // What PATCH answered is what is stored.
    const { extensionStatus: _none, ...answered } = updated as typeof updated & { extensionStatus?: unknown };
    expect(await t.client.files.get(file.fileId!)).toEqual(answered);

    // Fields left out stay; null removes a custom metadata key, tags and coordinates.
    const cleared = await t.client.files.update(file.fileId!, { customMetadata: { brand: null }, tags: null, customCoordinates: null });
    expect(cleared).toMatchObject({ tags: null, customCoordinates: null, customMetadata: { price: 12.5 }, description: 'On the beach' });
    expect((await t.client.files.update(file.fileId!, { tags: [] })).tags).toBeNull();

    const unknown = await failure(t.client.files.update(file.fileId!, { customMetadata: { color: 'red' } }));
    expect(unknown.status).toBe(400);
    expect(String(unknown.body.message)).toContain('customMetadata.color');
    const negative = await failure(t.client.files.update(file.fileId!, { customMetadata: { price: -1 } }));
    expect(negative.status).toBe(400);
    expect(String(negative.body.message)).toContain('customMetadata.price');
    // A refused update changes nothing.
    expect((await t.client.files.get(file.fileId!)).customMetadata).toEqual({ price: 12.5 });
  });

  it('removeAITags in an update removes the named AI tags, or all of them', async () => {
    const t = await newLibraryTenant();
    const file = await upload(t, 'ai.jpg');
    await seedAiTags(t, file.fileId!, ['Sky', 'Tree', 'Car']);
    expect((await t.client.files.get(file.fileId!)).AITags).toEqual([
      { name: 'Sky', confidence: 95, source: 'google-auto-tagging' },
      { name: 'Tree', confidence: 95, source: 'google-auto-tagging' },
      { name: 'Car', confidence: 95, source: 'google-auto-tagging' },
    ]);
    const fewer = await t.client.files.update(file.fileId!, { removeAITags: ['Tree', 'Boat'] });
    expect(fewer.AITags?.map((tag) => tag.name)).toEqual(['Sky', 'Car']);
    expect((await t.client.files.update(file.fileId!, { removeAITags: 'all' })).AITags).toBeNull();
  });

  it('publish {isPublished: false}: delivery 404s, listing still shows it unpublished; true brings it back', async () => {
    const t = await newLibraryTenant();
    const file = await upload(t, 'pub.jpg');
    expect((await get(`/${t.tenantId}/pub.jpg`)).status).toBe(200);

    const hidden = await t.client.files.update(file.fileId!, { publish: { isPublished: false } });
    expect(hidden.isPublished).toBe(false);
    expect((await get(`/${t.tenantId}/pub.jpg`)).status).toBe(404);
    expect((await get(`/${t.tenantId}/tr:w-50/pub.jpg`)).status).toBe(404);
    const listed = (await t.client.assets.list()) as { fileId?: string; isPublished?: boolean }[];
    expect(listed.map((f) => [f.fileId, f.isPublished])).toEqual([[file.fileId, false]]);
    expect((await t.client.files.get(file.fileId!)).isPublished).toBe(false);
    const other = await upload(t, 'other.jpg');
    expect(((await t.client.assets.list({ searchQuery: 'published = false' })) as { name?: string }[]).map((f) => f.name)).toEqual(['pub.jpg']);
    expect(((await t.client.assets.list({ searchQuery: 'published = true' })) as { name?: string }[]).map((f) => f.name)).toEqual(['other.jpg']);
    await t.client.files.delete(other.fileId!);

    const shown = await t.client.files.update(file.fileId!, { publish: { isPublished: true, includeFileVersions: true } });
    expect(shown.isPublished).toBe(true);
    expect((await get(`/${t.tenantId}/pub.jpg`)).status).toBe(200);

    // publish goes alone.
    const mixed = await failure(t.client.files.update(file.fileId!, { publish: { isPublished: false }, tags: ['x'] } as never));
    expect(mixed.status).toBe(400);
    expect(String(mixed.body.message)).toContain('"publish"');
    expect((await t.client.files.get(file.fileId!)).tags).toBeNull();
  });

  it('refuses bad bodies with a 400 naming the field', async () => {
    const t = await newLibraryTenant();
    const file = await upload(t, 'bad.jpg');
    const path = `/v1/files/${file.fileId}/details`;
    const cases: [unknown, string][] = [
      [{ tags: 'a,b' }, '"tags"'],
      [{ tags: [1] }, '"tags"'],
      [{ tags: ['50%'] }, '"tags"'],
      [{ customCoordinates: '1,2,3' }, '"customCoordinates"'],
      [{ customCoordinates: 5 }, '"customCoordinates"'],
      [{ customMetadata: 'brand=acme' }, '"customMetadata"'],
      [{ customMetadata: ['x'] }, '"customMetadata"'],
      [{ description: 7 }, '"description"'],
      [{ description: 'd'.repeat(1025) }, '"description"'],
      [{ removeAITags: 'some' }, '"removeAITags"'],
      [{ webhookUrl: 'ftp://example.com/hook' }, '"webhookUrl"'],
      [{ extensions: 'remove-bg' }, '"extensions"'],
      [{ colour: 'red' }, '"colour"'],
      [{ publish: true }, '"publish"'],
      [{ publish: { isPublished: 'no' } }, '"publish"'],
      [{ publish: { isPublished: true, includeFileVersions: 'yes' } }, '"publish.includeFileVersions"'],
    ];
    for (const [body, field] of cases) {
      const res = await callApi(t.auth, 'PATCH', path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await message(res), JSON.stringify(body)).toContain(field);
    }
    const notJson = await callApi(t.auth, 'PATCH', path, '{"tags": [');
    expect(notJson.status).toBe(400);
    expect(await message(notJson)).toContain('JSON');
    const array = await callApi(t.auth, 'PATCH', path, '["tags"]');
    expect(array.status).toBe(400);
    // Nothing was changed by any of them.
    const after = await t.client.files.get(file.fileId!);
    expect(after).toMatchObject({ tags: null, customCoordinates: null, isPublished: true });
    expect(after.updatedAt).toBe(after.createdAt);
    expect((await failure(t.client.files.update('0123456789abcdef01234567', { tags: ['x'] }))).status).toBe(404);
  });
});

describe('deleting files', () => {
  it('DELETE answers 204; delivery and details then 404', async () => {
    const t = await newLibraryTenant();
    const file = await upload(t, 'gone.jpg');
    const keep = await upload(t, 'keep.jpg');
    expect((await get(`/${t.tenantId}/gone.jpg`)).status).toBe(200);
    const res = await t.client.files.delete(file.fileId!).asResponse();
    expect(res.status).toBe(204);
    expect(res.headers.get('x-ik-requestId')).toMatch(/\S/);
    expect((await get(`/${t.tenantId}/gone.jpg`)).status).toBe(404);
    const details = await failure(t.client.files.get(file.fileId!));
    expect(details.status).toBe(404);
    expect(details.body.message).toBe('The requested file does not exist.');
    const again = await failure(t.client.files.delete(file.fileId!));
    expect(again.status).toBe(404);
    expect(again.body.message).toBe('The requested file does not exist.');
    expect(((await t.client.assets.list()) as { fileId?: string }[]).map((f) => f.fileId)).toEqual([keep.fileId]);
  });

  it('deleting a file or a folder discards the stored variants of what was deleted, and only those', async () => {
    const t = await newLibraryTenant();
    const file = await upload(t, 'v.jpg');
    await t.client.files.upload({ file: await jpegFile('in.jpg'), fileName: 'in.jpg', folder: '/dir', useUniqueFileName: false });
    await upload(t, 'other.jpg');
    const variants = async (path: string) => (await env.MEDIA.list({ prefix: await variantPrefix(t.tenantId, path) })).objects.length;
    for (const path of ['v.jpg', 'dir/in.jpg', 'other.jpg']) {
      expect((await get(`/${t.tenantId}/tr:w-40/${path}`)).status).toBe(200);
      await expect.poll(() => variants(path)).toBe(1);
    }
    await t.client.files.delete(file.fileId!);
    await t.client.folders.delete({ folderPath: '/dir' });
    await expect.poll(() => variants('v.jpg')).toBe(0);
    await expect.poll(() => variants('dir/in.jpg')).toBe(0);
    expect(await variants('other.jpg')).toBe(1);
  });

  it('DELETE removes every version of the file', async () => {
    const t = await newLibraryTenant();
    const first = await upload(t, 'v.jpg');
    const second = await t.client.files.upload({ file: new File([await fixtureBytes(fixtures.basn6a08.path)], 'v.jpg'), fileName: 'v.jpg', useUniqueFileName: false });
    expect(second.fileId).toBe(first.fileId);
    const versions = (await t.client.assets.list({ type: 'file-version' })) as { type: string; fileId: string; versionInfo: { id: string } }[];
    expect(versions.map((v) => [v.type, v.fileId, v.versionInfo.id])).toEqual([['file-version', first.fileId, first.fileId]]);
    expect((await get(`/${t.tenantId}/v.jpg?ik-obj-version=${first.fileId}`)).status).toBe(200);

    await t.client.files.delete(first.fileId!);
    expect(await t.client.assets.list({ type: 'file-version' })).toEqual([]);
    expect(await t.client.assets.list({ searchQuery: 'type IN ["file", "file-version"]' })).toEqual([]);
    expect((await get(`/${t.tenantId}/v.jpg?ik-obj-version=${first.fileId}`)).status).toBe(404);
    expect((await get(`/${t.tenantId}/v.jpg`)).status).toBe(404);
  });

  it('bulk delete: an unknown id is a 404 naming it, and nothing is deleted', async () => {
    const t = await newLibraryTenant();
    const a = await upload(t, 'a.jpg');
    const b = await upload(t, 'b.jpg');
    const unknown = 'ffffffffffffffffffffffff';
    const refused = await failure(t.client.files.bulk.delete({ fileIds: [a.fileId!, unknown, b.fileId!] }));
    expect(refused.status).toBe(404);
    expect(refused.body.missingFileIds).toEqual([unknown]);
    expect((await t.client.files.get(a.fileId!)).fileId).toBe(a.fileId);
    expect((await t.client.files.get(b.fileId!)).fileId).toBe(b.fileId);
    expect((await get(`/${t.tenantId}/a.jpg`)).status).toBe(200);
  });

  it('bulk delete: every id deleted is in successfullyDeletedFileIds', async () => {
    const t = await newLibraryTenant();
    const a = await upload(t, 'a.jpg');
    const b = await upload(t, 'b.jpg');
    const c = await upload(t, 'c.jpg');
    const { data, response } = await t.client.files.bulk.delete({ fileIds: [a.fileId!, b.fileId!, a.fileId!] }).withResponse();
    expect(response.status).toBe(200);
    expect(data).toEqual({ successfullyDeletedFileIds: [a.fileId, b.fileId] });
    expect((await get(`/${t.tenantId}/a.jpg`)).status).toBe(404);
    expect((await get(`/${t.tenantId}/b.jpg`)).status).toBe(404);
    expect(((await t.client.assets.list()) as { fileId?: string }[]).map((f) => f.fileId)).toEqual([c.fileId]);
    const refused = await failure(t.client.files.bulk.delete({ fileIds: [a.fileId!] }));
    expect(refused.body.missingFileIds).toEqual([a.fileId]);
  });
});

describe('bulk tags', () => {
  it('addTags and removeTags answer the ids updated; tags merge without repeats', async () => {
    const t = await newLibraryTenant();
    const a = await upload(t, 'a.jpg', { tags: ['red'] });
    const b = await upload(t, 'b.jpg');
    const added = await t.client.files.bulk.addTags({ fileIds: [a.fileId!, b.fileId!], tags: ['sale', 'red'] });
    expect(added).toEqual({ successfullyUpdatedFileIds: [a.fileId, b.fileId] });
    expect((await t.client.files.get(a.fileId!)).tags).toEqual(['red', 'sale']);
    expect((await t.client.files.get(b.fileId!)).tags).toEqual(['sale', 'red']);

    const removed = await t.client.files.bulk.removeTags({ fileIds: [a.fileId!, b.fileId!], tags: ['red', 'absent'] });
    expect(removed).toEqual({ successfullyUpdatedFileIds: [a.fileId, b.fileId] });
    expect((await t.client.files.get(a.fileId!)).tags).toEqual(['sale']);
    expect((await t.client.files.get(b.fileId!)).tags).toEqual(['sale']);
    await t.client.files.bulk.removeTags({ fileIds: [a.fileId!], tags: ['sale'] });
    expect((await t.client.files.get(a.fileId!)).tags).toBeNull();
  });

  it('all or nothing: an unknown id is a 404 with missingFileIds and no file changes', async () => {
    const t = await newLibraryTenant();
    const a = await upload(t, 'a.jpg', { tags: ['keep'] });
    const unknown = 'eeeeeeeeeeeeeeeeeeeeeeee';
    const add = await failure(t.client.files.bulk.addTags({ fileIds: [a.fileId!, unknown], tags: ['new'] }));
    expect(add.status).toBe(404);
    expect(add.body.missingFileIds).toEqual([unknown]);
    const remove = await failure(t.client.files.bulk.removeTags({ fileIds: [unknown, a.fileId!], tags: ['keep'] }));
    expect(remove.status).toBe(404);
    expect(remove.body.missingFileIds).toEqual([unknown]);
    const ai = await failure(t.client.files.bulk.removeAITags({ fileIds: [a.fileId!, unknown], AITags: ['Sky'] }));
    expect(ai.status).toBe(404);
    expect(ai.body.missingFileIds).toEqual([unknown]);
    expect((await t.client.files.get(a.fileId!)).tags).toEqual(['keep']);
  });

  it('addTags keeps a file\'s tags within the 500 characters upload and PATCH allow, changing no file otherwise', async () => {
    const t = await newLibraryTenant();
    const long = ['x'.repeat(200), 'y'.repeat(200)];
    const full = await upload(t, 'full.jpg', { tags: long });
    const empty = await upload(t, 'empty.jpg');
    const refused = await failure(t.client.files.bulk.addTags({ fileIds: [empty.fileId!, full.fileId!], tags: ['z'.repeat(150)] }));
    expect(refused.status).toBe(400);
    expect(String(refused.body.message)).toContain('"tags"');
    expect((await t.client.files.get(full.fileId!)).tags).toEqual(long);
    expect((await t.client.files.get(empty.fileId!)).tags).toBeNull();
    // What a file may carry is what PATCH accepts back.
    const fits = await t.client.files.bulk.addTags({ fileIds: [full.fileId!], tags: ['z'.repeat(100)] });
    expect(fits.successfullyUpdatedFileIds).toEqual([full.fileId]);
    const tags = (await t.client.files.get(full.fileId!)).tags!;
    expect((await t.client.files.update(full.fileId!, { tags })).tags).toEqual(tags);
  });

  it('removeAITags removes only the named AI tags, leaving tags', async () => {
    const t = await newLibraryTenant();
    const a = await upload(t, 'a.jpg', { tags: ['Sky'] });
    const b = await upload(t, 'b.jpg');
    await seedAiTags(t, a.fileId!, ['Sky', 'Sea']);
    await seedAiTags(t, b.fileId!, ['Sky']);
    const result = await t.client.files.bulk.removeAITags({ fileIds: [a.fileId!, b.fileId!], AITags: ['Sky'] });
    expect(result).toEqual({ successfullyUpdatedFileIds: [a.fileId, b.fileId] });
    const after = await t.client.files.get(a.fileId!);
    expect(after.AITags?.map((tag) => tag.name)).toEqual(['Sea']);
    expect(after.tags).toEqual(['Sky']);
    expect((await t.client.files.get(b.fileId!)).AITags).toBeNull();
  });

  it('refuses bad bodies with a 400 naming the field', async () => {
    const t = await newLibraryTenant();
    const a = await upload(t, 'a.jpg');
    const id = a.fileId!;
    const cases: [string, unknown, string][] = [
      ['/v1/files/batch/deleteByFileIds', {}, '"fileIds"'],
      ['/v1/files/batch/deleteByFileIds', { fileIds: [] }, '"fileIds"'],
      ['/v1/files/batch/deleteByFileIds', { fileIds: id }, '"fileIds"'],
      ['/v1/files/batch/deleteByFileIds', { fileIds: Array.from({ length: 101 }, (_, i) => `id${i}`) }, '"fileIds"'],
      ['/v1/files/addTags', { tags: ['x'] }, '"fileIds"'],
      ['/v1/files/addTags', { fileIds: [id] }, '"tags"'],
      ['/v1/files/addTags', { fileIds: [id], tags: [] }, '"tags"'],
      ['/v1/files/addTags', { fileIds: [id], tags: ['  '] }, '"tags"'],
      ['/v1/files/addTags', { fileIds: [id], tags: ['100%'] }, '"tags"'],
      ['/v1/files/removeTags', { fileIds: [id], tags: 'x' }, '"tags"'],
      ['/v1/files/removeAITags', { fileIds: [id], tags: ['x'] }, '"AITags"'],
      ['/v1/files/removeAITags', { fileIds: [7], AITags: ['x'] }, '"fileIds"'],
    ];
    for (const [path, body, field] of cases) {
      const res = await callApi(t.auth, 'POST', path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(await message(res), `${path} ${JSON.stringify(body)}`).toContain(field);
    }
    expect((await t.client.files.get(id)).tags).toBeNull();
  });
});

describe('access', () => {
  it('a files: read key lists and reads but gets 403 on every change', async () => {
    const t = await newLibraryTenant();
    const file = await upload(t, 'r.jpg', { tags: ['x'] });
    const reader = sdkFor((await addKey(t.tenantId, { files: 'read', settings: 'none', audit: 'none' })).privateKey);
    expect(((await reader.assets.list()) as { fileId?: string }[]).map((f) => f.fileId)).toEqual([file.fileId]);
    expect((await reader.files.get(file.fileId!)).name).toBe('r.jpg');
    const changes: (() => Promise<unknown>)[] = [
      () => reader.files.update(file.fileId!, { tags: ['y'] }),
      () => reader.files.update(file.fileId!, { publish: { isPublished: false } }),
      () => reader.files.delete(file.fileId!),
      () => reader.files.bulk.delete({ fileIds: [file.fileId!] }),
      () => reader.files.bulk.addTags({ fileIds: [file.fileId!], tags: ['y'] }),
      () => reader.files.bulk.removeTags({ fileIds: [file.fileId!], tags: ['x'] }),
      () => reader.files.bulk.removeAITags({ fileIds: [file.fileId!], AITags: ['x'] }),
    ];
    for (const change of changes) expect((await failure(change())).status).toBe(403);
    expect(await t.client.files.get(file.fileId!)).toMatchObject({ tags: ['x'], isPublished: true });

    const none = sdkFor((await addKey(t.tenantId, { files: 'none', settings: 'read', audit: 'none' })).privateKey);
    expect((await failure(none.assets.list())).status).toBe(403);
    expect((await failure(none.files.get(file.fileId!))).status).toBe(403);
  });

  it('another tenant never sees or changes a tenant\'s files', async () => {
    const a = await newLibraryTenant();
    const b = await newLibraryTenant();
    const file = await upload(a, 'mine.jpg', { tags: ['a'] });
    const id = file.fileId!;
    expect(await b.client.assets.list()).toEqual([]);
    expect(await b.client.assets.list({ type: 'all' })).toEqual([]);
    expect(await b.client.assets.list({ searchQuery: 'name = "mine.jpg"' })).toEqual([]);
    for (const call of [() => b.client.files.get(id), () => b.client.files.update(id, { tags: ['b'] }), () => b.client.files.delete(id)]) {
      const refused = await failure(call());
      expect(refused.status).toBe(404);
      expect(refused.body.message).toBe('The requested file does not exist.');
    }
    expect((await failure(b.client.files.bulk.delete({ fileIds: [id] }))).body.missingFileIds).toEqual([id]);
    expect((await failure(b.client.files.bulk.addTags({ fileIds: [id], tags: ['b'] }))).body.missingFileIds).toEqual([id]);
    expect(await a.client.files.get(id)).toMatchObject({ tags: ['a'], name: 'mine.jpg' });
    expect((await get(`/${a.tenantId}/mine.jpg`)).status).toBe(200);
    expect((await get(`/${b.tenantId}/mine.jpg`)).status).toBe(404);
  });
});
