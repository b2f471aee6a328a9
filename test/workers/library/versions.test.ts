/** File versions through `@imagekit/nodejs`: listing, reading, deleting and restoring, and delivery of each. */
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/registry';
import { addKey } from '../api-helpers';
import { decodeResponse, fixtureBytes, get, putOriginal } from '../helpers';
import { auditTrail, failure, fileAt, type LibraryTenant, newLibraryTenant, sdkFor } from '../library-helpers';

// Two different images, told apart by their dimensions when delivered.
const FIRST = fixtures.jpegBaseline; // 227×149
const SECOND = fixtures.photo1000x800;

/** `/a/b.jpg` with two versions: FIRST, then SECOND (current). */
async function twoVersions(t: LibraryTenant): Promise<{ fileId: string; firstId: string; secondId: string }> {
  await putOriginal(t.tenantId, 'a/b.jpg', await fixtureBytes(FIRST.path));
  const first = await fileAt(t.tenantId, '/a/b.jpg');
  await putOriginal(t.tenantId, 'a/b.jpg', await fixtureBytes(SECOND.path));
  const second = await fileAt(t.tenantId, '/a/b.jpg');
  return { fileId: first!.fileId, firstId: first!.versionId, secondId: second!.versionId };
}

async function deliveredSize(path: string): Promise<[number, number]> {
  const res = await get(path);
  expect(res.status).toBe(200);
  const frame = await decodeResponse(res);
  return [frame.width, frame.height];
}

describe('file versions', () => {
  it('lists every version: the current one as "file", older ones as "file-version" pinned by URL', async () => {
    const t = await newLibraryTenant();
    const { fileId, firstId, secondId } = await twoVersions(t);
    const versions = await t.client.files.versions.list(fileId);
    expect(versions).toHaveLength(2);
    const [older, current] = versions;
    expect(older).toMatchObject({
      type: 'file-version',
      fileId,
      name: 'b.jpg',
      filePath: '/a/b.jpg',
      versionInfo: { id: firstId, name: 'Version 1' },
      url: `${t.endpoint}/a/b.jpg?ik-obj-version=${firstId}`,
      size: (await fixtureBytes(FIRST.path)).length,
    });
    expect(current).toMatchObject({
      type: 'file',
      fileId,
      filePath: '/a/b.jpg',
      versionInfo: { id: secondId, name: 'Version 2' },
      url: `${t.endpoint}/a/b.jpg`,
      size: (await fixtureBytes(SECOND.path)).length,
    });
    // ImageKit: the first version's id is the file's id.
    expect(firstId).toBe(fileId);
  });

  it('delivery serves each version at its own URL', async () => {
    const t = await newLibraryTenant();
    const { firstId, secondId } = await twoVersions(t);
    expect(await deliveredSize(`/${t.tenantId}/a/b.jpg`)).toEqual([SECOND.width, SECOND.height]);
    expect(await deliveredSize(`/${t.tenantId}/a/b.jpg?ik-obj-version=${firstId}`)).toEqual([FIRST.width, FIRST.height]);
    expect(await deliveredSize(`/${t.tenantId}/a/b.jpg?ik-obj-version=${secondId}`)).toEqual([SECOND.width, SECOND.height]);
  });

  it('gets one version, and answers 404 for an unknown version or file', async () => {
    const t = await newLibraryTenant();
    const { fileId, firstId } = await twoVersions(t);
    const [listed] = await t.client.files.versions.list(fileId);
    expect(await t.client.files.versions.get(firstId, { fileId })).toEqual(listed);

    const noVersion = await failure(t.client.files.versions.get('nope', { fileId }));
    expect(noVersion.status).toBe(404);
    expect(noVersion.body.message).toBe('The requested file version does not exist.');
    const noFile = await failure(t.client.files.versions.list('nope'));
    expect(noFile.status).toBe(404);
    expect(noFile.body.message).toBe('The requested file does not exist.');
  });

  it('deletes an older version (204) but never the current one (400)', async () => {
    const t = await newLibraryTenant();
    const { fileId, firstId, secondId } = await twoVersions(t);

    const current = await failure(t.client.files.versions.delete(secondId, { fileId }));
    expect(current.status).toBe(400);
    expect(current.body.message).toBe('You cannot delete current version of a file.');

    const res = await t.client.files.versions.delete(firstId, { fileId }).asResponse();
    expect(res.status).toBe(204);
    expect((await t.client.files.versions.list(fileId)).map((v) => v.versionInfo?.id)).toEqual([secondId]);
    expect((await get(`/${t.tenantId}/a/b.jpg?ik-obj-version=${firstId}`)).status).toBe(404);
    expect((await failure(t.client.files.versions.delete(firstId, { fileId }))).status).toBe(404);
    expect(await auditTrail(t)).toEqual([`file-version.delete file:${fileId}/version:${firstId}`]);
  });

  it('restores an older version as the current one, with delivery following', async () => {
    const t = await newLibraryTenant();
    const { fileId, firstId, secondId } = await twoVersions(t);
    expect(await deliveredSize(`/${t.tenantId}/a/b.jpg`)).toEqual([SECOND.width, SECOND.height]);

    const restored = await t.client.files.versions.restore(firstId, { fileId });
    expect(restored).toMatchObject({ type: 'file', fileId, versionInfo: { id: firstId, name: 'Version 1' }, url: `${t.endpoint}/a/b.jpg` });
    expect(await deliveredSize(`/${t.tenantId}/a/b.jpg`)).toEqual([FIRST.width, FIRST.height]);

    const versions = await t.client.files.versions.list(fileId);
    expect(versions.map((v) => [v.versionInfo?.id, v.type])).toEqual([
      [firstId, 'file'],
      [secondId, 'file-version'],
    ]);
    expect(versions[1]!.url).toBe(`${t.endpoint}/a/b.jpg?ik-obj-version=${secondId}`);
    // The version that was current can now be deleted.
    await t.client.files.versions.delete(secondId, { fileId });
    expect(await auditTrail(t)).toEqual([
      `file-version.restore file:${fileId}/version:${firstId}`,
      `file-version.delete file:${fileId}/version:${secondId}`,
    ]);
  });

  it('a key with files: read can read versions but not change them', async () => {
    const t = await newLibraryTenant();
    const { fileId, firstId } = await twoVersions(t);
    const reader = sdkFor((await addKey(t.tenantId, { files: 'read', settings: 'none', audit: 'none' })).privateKey);
    expect(await reader.files.versions.list(fileId)).toHaveLength(2);
    expect((await reader.files.versions.get(firstId, { fileId })).versionInfo?.id).toBe(firstId);
    expect((await failure(reader.files.versions.delete(firstId, { fileId }))).status).toBe(403);
    expect((await failure(reader.files.versions.restore(firstId, { fileId }))).status).toBe(403);
    expect(await t.client.files.versions.list(fileId)).toHaveLength(2);
  });

  it("another tenant's key cannot see or change the versions", async () => {
    const a = await newLibraryTenant();
    const b = await newLibraryTenant();
    const { fileId, firstId } = await twoVersions(a);
    expect((await failure(b.client.files.versions.list(fileId))).status).toBe(404);
    expect((await failure(b.client.files.versions.get(firstId, { fileId }))).status).toBe(404);
    expect((await failure(b.client.files.versions.delete(firstId, { fileId }))).status).toBe(404);
    expect((await failure(b.client.files.versions.restore(firstId, { fileId }))).status).toBe(404);
    expect(await a.client.files.versions.list(fileId)).toHaveLength(2);
  });
});
