/** Copying, moving and renaming files through `@imagekit/nodejs`. */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { libraryOf } from '../../../src/library/client';
import { fixtures } from '../../fixtures/registry';
import { addKey, callApi } from '../api-helpers';
import { decodeResponse, fixtureBytes, get, putOriginal } from '../helpers';
import { auditTrail, failure, fileAt, type LibraryTenant, newLibraryTenant, sdkFor } from '../library-helpers';

const FIRST = fixtures.jpegBaseline; // 227×149
const SECOND = fixtures.photo1000x800;

/** Puts FIRST then SECOND at `path` (`a/b.jpg`): two versions, SECOND current. */
async function twoVersions(t: LibraryTenant, path: string): Promise<string> {
  await putOriginal(t.tenantId, path, await fixtureBytes(FIRST.path));
  await putOriginal(t.tenantId, path, await fixtureBytes(SECOND.path));
  return (await fileAt(t.tenantId, `/${path}`))!.fileId;
}

async function deliveredWidth(path: string): Promise<number> {
  const res = await get(path);
  expect(res.status).toBe(200);
  return (await decodeResponse(res)).width;
}

const versionNames = async (t: LibraryTenant, fileId: string) =>
  (await t.client.files.versions.list(fileId)).map((v) => [v.versionInfo?.name, v.type, v.filePath]);

describe('copy', () => {
  it('copies the current version only by default, as a new file', async () => {
    const t = await newLibraryTenant();
    const sourceId = await twoVersions(t, 'a/b.jpg');
    const res = await t.client.files.copy({ sourceFilePath: '/a/b.jpg', destinationPath: '/c/' }).asResponse();
    expect(res.status).toBe(204);

    const copy = (await fileAt(t.tenantId, '/c/b.jpg'))!;
    expect(copy.fileId).not.toBe(sourceId);
    expect(await versionNames(t, copy.fileId)).toEqual([['Version 1', 'file', '/c/b.jpg']]);
    expect(await deliveredWidth(`/${t.tenantId}/c/b.jpg`)).toBe(SECOND.width);
    expect(await t.client.files.versions.list(sourceId)).toHaveLength(2);
    expect(await auditTrail(t)).toEqual(['file.copy file:/a/b.jpg']);
  });

  it('copies every version with includeFileVersions, each delivered at its own URL', async () => {
    const t = await newLibraryTenant();
    await twoVersions(t, 'a/b.jpg');
    await t.client.files.copy({ sourceFilePath: 'a/b.jpg', destinationPath: 'c', includeFileVersions: true });

    const copyId = (await fileAt(t.tenantId, '/c/b.jpg'))!.fileId;
    const versions = await t.client.files.versions.list(copyId);
    expect(versions.map((v) => [v.versionInfo?.name, v.type])).toEqual([
      ['Version 1', 'file-version'],
      ['Version 2', 'file'],
    ]);
    expect(await deliveredWidth(`/${t.tenantId}/c/b.jpg?ik-obj-version=${versions[0]!.versionInfo!.id}`)).toBe(FIRST.width);
    expect(await deliveredWidth(`/${t.tenantId}/c/b.jpg`)).toBe(SECOND.width);
  });

  it('appends to the version history of a file already at the destination', async () => {
    const t = await newLibraryTenant();
    await putOriginal(t.tenantId, 'a/b.jpg', await fixtureBytes(SECOND.path));
    await putOriginal(t.tenantId, 'c/b.jpg', await fixtureBytes(FIRST.path));
    const targetId = (await fileAt(t.tenantId, '/c/b.jpg'))!.fileId;

    const sourceId = (await fileAt(t.tenantId, '/a/b.jpg'))!.fileId;
    await libraryOf(env, t.tenantId).updateDetails(sourceId, { tags: ['summer'] });

    await t.client.files.copy({ sourceFilePath: '/a/b.jpg', destinationPath: '/c/' });
    expect((await fileAt(t.tenantId, '/c/b.jpg'))!.fileId).toBe(targetId);
    expect(await versionNames(t, targetId)).toEqual([
      ['Version 1', 'file-version', '/c/b.jpg'],
      ['Version 2', 'file', '/c/b.jpg'],
    ]);
    expect(await deliveredWidth(`/${t.tenantId}/c/b.jpg`)).toBe(SECOND.width);
    // The copied version is current, and the file reads with the attributes it came with.
    const [older, current] = await t.client.files.versions.list(targetId);
    expect([older!.tags, current!.tags]).toEqual([null, ['summer']]);
  });

  it('answers 404 for an unknown source and 400 naming a bad field', async () => {
    const t = await newLibraryTenant();
    const missing = await failure(t.client.files.copy({ sourceFilePath: '/nope.jpg', destinationPath: '/c/' }));
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('No file found with filePath /nope.jpg');

    const bad = async (body: unknown, field: string) => {
      const res = await callApi(t.auth, 'POST', '/v1/files/copy', body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toContain(`"${field}"`);
    };
    await bad({ destinationPath: '/c/' }, 'sourceFilePath');
    await bad({ sourceFilePath: '/a/', destinationPath: '/c/' }, 'sourceFilePath');
    await bad({ sourceFilePath: '/a/b.jpg' }, 'destinationPath');
    await bad({ sourceFilePath: '/a/b.jpg', destinationPath: '/../x/' }, 'destinationPath');
    await bad({ sourceFilePath: '/a/b.jpg', destinationPath: '/c/', includeFileVersions: 'yes' }, 'includeFileVersions');
  });
});

describe('move', () => {
  it('keeps the file id and every version when the destination is free', async () => {
    const t = await newLibraryTenant();
    const fileId = await twoVersions(t, 'a/b.jpg');
    const res = await t.client.files.move({ sourceFilePath: '/a/b.jpg', destinationPath: '/c/d/' }).asResponse();
    expect(res.status).toBe(204);

    expect(await fileAt(t.tenantId, '/a/b.jpg')).toBeNull();
    expect((await get(`/${t.tenantId}/a/b.jpg`)).status).toBe(404);
    expect((await fileAt(t.tenantId, '/c/d/b.jpg'))!.fileId).toBe(fileId);
    expect(await versionNames(t, fileId)).toEqual([
      ['Version 1', 'file-version', '/c/d/b.jpg'],
      ['Version 2', 'file', '/c/d/b.jpg'],
    ]);
    expect(await deliveredWidth(`/${t.tenantId}/c/d/b.jpg?ik-obj-version=${fileId}`)).toBe(FIRST.width);
    expect(await auditTrail(t)).toEqual(['file.move file:/a/b.jpg']);
  });

  it('appends the moved file and its versions to a file already at the destination', async () => {
    const t = await newLibraryTenant();
    const sourceId = await twoVersions(t, 'a/b.jpg');
    await putOriginal(t.tenantId, 'c/b.jpg', await fixtureBytes(FIRST.path));
    const targetId = (await fileAt(t.tenantId, '/c/b.jpg'))!.fileId;

    await t.client.files.move({ sourceFilePath: '/a/b.jpg', destinationPath: '/c/' });
    expect(await fileAt(t.tenantId, '/a/b.jpg')).toBeNull();
    expect((await failure(t.client.files.versions.list(sourceId))).status).toBe(404);
    expect((await fileAt(t.tenantId, '/c/b.jpg'))!.fileId).toBe(targetId);
    expect((await versionNames(t, targetId)).map(([name, type]) => [name, type])).toEqual([
      ['Version 1', 'file-version'],
      ['Version 2', 'file-version'],
      ['Version 3', 'file'],
    ]);
    expect(await deliveredWidth(`/${t.tenantId}/c/b.jpg`)).toBe(SECOND.width);
  });

  it('answers 404 for an unknown source', async () => {
    const t = await newLibraryTenant();
    const missing = await failure(t.client.files.move({ sourceFilePath: '/x/y.jpg', destinationPath: '/c/' }));
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('No file found with filePath /x/y.jpg');
  });
});

describe('rename', () => {
  it('renames the file and all its versions, keeping its id', async () => {
    const t = await newLibraryTenant();
    const fileId = await twoVersions(t, 'a/b.jpg');
    expect(await t.client.files.rename({ filePath: '/a/b.jpg', newFileName: 'c.jpg' })).toEqual({});

    expect(await fileAt(t.tenantId, '/a/b.jpg')).toBeNull();
    expect((await fileAt(t.tenantId, '/a/c.jpg'))!.fileId).toBe(fileId);
    const versions = await t.client.files.versions.list(fileId);
    expect(versions.map((v) => [v.name, v.filePath])).toEqual([
      ['c.jpg', '/a/c.jpg'],
      ['c.jpg', '/a/c.jpg'],
    ]);
    expect(versions[0]!.url).toBe(`${t.endpoint}/a/c.jpg?ik-obj-version=${fileId}`);
    expect(await deliveredWidth(`/${t.tenantId}/a/c.jpg`)).toBe(SECOND.width);
    expect(await auditTrail(t)).toEqual(['file.rename file:/a/b.jpg']);
  });

  it('replaces characters ImageKit does not keep in names with "_"', async () => {
    const t = await newLibraryTenant();
    await putOriginal(t.tenantId, 'a/b.jpg', await fixtureBytes(FIRST.path));
    await t.client.files.rename({ filePath: '/a/b.jpg', newFileName: 'new name/ü.jpg' });
    expect(await fileAt(t.tenantId, '/a/new_name_ü.jpg')).not.toBeNull();
  });

  it('answers 409 FILE_ALREADY_EXISTS, not to be retried, when the name is taken', async () => {
    const t = await newLibraryTenant();
    await putOriginal(t.tenantId, 'a/b.jpg', await fixtureBytes(FIRST.path));
    await putOriginal(t.tenantId, 'a/c.jpg', await fixtureBytes(SECOND.path));
    const taken = await failure(t.client.files.rename({ filePath: '/a/b.jpg', newFileName: 'c.jpg' }));
    expect(taken.status).toBe(409);
    expect(taken.body.reason).toBe('FILE_ALREADY_EXISTS');
    expect(taken.headers.get('x-should-retry')).toBe('false');
    expect(await fileAt(t.tenantId, '/a/b.jpg')).not.toBeNull();
    expect(await auditTrail(t)).toEqual([]);
  });

  it('answers 404 for an unknown file and 400 for a bad name', async () => {
    const t = await newLibraryTenant();
    const missing = await failure(t.client.files.rename({ filePath: '/nope.jpg', newFileName: 'x.jpg' }));
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('No file found with filePath /nope.jpg');
    for (const newFileName of ['', '..']) {
      const bad = await failure(t.client.files.rename({ filePath: '/a/b.jpg', newFileName }));
      expect(bad.status).toBe(400);
      expect(bad.body.message).toContain('"newFileName"');
    }
    const flag = await callApi(t.auth, 'PUT', '/v1/files/rename', { filePath: '/a/b.jpg', newFileName: 'x.jpg', purgeCache: 1 });
    expect(flag.status).toBe(400);
  });

  it('purgeCache starts a purge of the old URL and answers its request id', async () => {
    const t = await newLibraryTenant();
    await putOriginal(t.tenantId, 'a/b.jpg', await fixtureBytes(FIRST.path));
    const { purgeRequestId } = await t.client.files.rename({ filePath: '/a/b.jpg', newFileName: 'c.jpg', purgeCache: true });
    expect(purgeRequestId).toEqual(expect.any(String));
    const purge = await libraryOf(env, t.tenantId).purge(purgeRequestId!);
    expect(purge?.url).toBe(`${t.endpoint}/a/b.jpg`);
  });
});

describe('transfer permissions and isolation', () => {
  it('a key with files: read gets 403 on every transfer', async () => {
    const t = await newLibraryTenant();
    await putOriginal(t.tenantId, 'a/b.jpg', await fixtureBytes(FIRST.path));
    const reader = sdkFor((await addKey(t.tenantId, { files: 'read', settings: 'none', audit: 'none' })).privateKey);
    expect((await failure(reader.files.copy({ sourceFilePath: '/a/b.jpg', destinationPath: '/c/' }))).status).toBe(403);
    expect((await failure(reader.files.move({ sourceFilePath: '/a/b.jpg', destinationPath: '/c/' }))).status).toBe(403);
    expect((await failure(reader.files.rename({ filePath: '/a/b.jpg', newFileName: 'c.jpg' }))).status).toBe(403);
    expect(await fileAt(t.tenantId, '/a/b.jpg')).not.toBeNull();
    expect(await fileAt(t.tenantId, '/c/b.jpg')).toBeNull();
  });

  it("another tenant's key cannot reach the files (404) and changes nothing", async () => {
    const a = await newLibraryTenant();
    const b = await newLibraryTenant();
    await putOriginal(a.tenantId, 'a/b.jpg', await fixtureBytes(FIRST.path));
    expect((await failure(b.client.files.copy({ sourceFilePath: '/a/b.jpg', destinationPath: '/c/' }))).status).toBe(404);
    expect((await failure(b.client.files.move({ sourceFilePath: '/a/b.jpg', destinationPath: '/c/' }))).status).toBe(404);
    expect((await failure(b.client.files.rename({ filePath: '/a/b.jpg', newFileName: 'c.jpg' }))).status).toBe(404);
    expect(await fileAt(a.tenantId, '/a/b.jpg')).not.toBeNull();
    expect(await fileAt(b.tenantId, '/c/b.jpg')).toBeNull();
    expect(await auditTrail(a)).toEqual([]);
  });
});
