/** Folders and folder bulk jobs through `@imagekit/nodejs`. */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { libraryOf } from '../../../src/library/client';
import { fixtures } from '../../fixtures/registry';
import { addKey, callApi } from '../api-helpers';
import { fixtureBytes, get, putOriginal } from '../helpers';
import { auditTrail, failure, fileAt, type LibraryTenant, newLibraryTenant, sdkFor } from '../library-helpers';

const IMAGE = fixtures.jpegBaseline;

const folderAt = (t: LibraryTenant, path: string) => libraryOf(env, t.tenantId).folder(path);

/** `/src/` with a file at every level: `/src/a.jpg`, `/src/sub/b.jpg`, `/src/sub/deep/c.jpg`. */
const TREE = ['src/a.jpg', 'src/sub/b.jpg', 'src/sub/deep/c.jpg'];

async function putTree(t: LibraryTenant): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const path of TREE) {
    await putOriginal(t.tenantId, path, await fixtureBytes(IMAGE.path));
    ids.set(path, (await fileAt(t.tenantId, `/${path}`))!.fileId);
  }
  return ids;
}

async function delivered(t: LibraryTenant, path: string): Promise<number> {
  return (await get(`/${t.tenantId}/${path}`)).status;
}

describe('folders', () => {
  it('creates a folder (201 {}) with any missing parents, names cleaned as ImageKit does', async () => {
    const t = await newLibraryTenant();
    const res = await t.client.folders.create({ folderName: 'summer', parentFolderPath: '/product/images/' }).asResponse();
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({});
    expect(await folderAt(t, '/product/')).not.toBeNull();
    expect((await folderAt(t, '/product/images/summer/'))?.name).toBe('summer');

    await t.client.folders.create({ folderName: 'new arrivals!', parentFolderPath: '/' });
    expect(await folderAt(t, '/new_arrivals_/')).not.toBeNull();
    expect(await auditTrail(t)).toEqual(['folder.create folder:/product/images/summer/', 'folder.create folder:/new_arrivals_/']);
  });

  it('refuses bad fields with a 400 that names them', async () => {
    const t = await newLibraryTenant();
    const bad = async (method: string, path: string, body: unknown, field: string) => {
      const res = await callApi(t.auth, method, path, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toContain(`"${field}"`);
    };
    await bad('POST', '/v1/folder', { parentFolderPath: '/' }, 'folderName');
    await bad('POST', '/v1/folder', { folderName: 'x' }, 'parentFolderPath');
    await bad('POST', '/v1/folder', { folderName: 'x', parentFolderPath: '/a/../b/' }, 'parentFolderPath');
    await bad('DELETE', '/v1/folder', {}, 'folderPath');
    await bad('POST', '/v1/bulkJobs/copyFolder', { sourceFolderPath: '/a/', destinationPath: '/b/', includeVersions: 'no' }, 'includeVersions');
    await bad('POST', '/v1/bulkJobs/moveFolder', { sourceFolderPath: '/a/' }, 'destinationPath');
    await bad('POST', '/v1/bulkJobs/renameFolder', { folderPath: '/a/' }, 'newFolderName');
  });

  it('deletes a folder with its files and subfolders; their delivery then 404s', async () => {
    const t = await newLibraryTenant();
    await putTree(t);
    await putOriginal(t.tenantId, 'other/keep.jpg', await fixtureBytes(IMAGE.path));
    expect(await delivered(t, 'src/sub/deep/c.jpg')).toBe(200);

    const res = await t.client.folders.delete({ folderPath: '/src/sub' }).asResponse();
    expect(res.status).toBe(204);
    expect(await delivered(t, 'src/sub/b.jpg')).toBe(404);
    expect(await delivered(t, 'src/sub/deep/c.jpg')).toBe(404);
    expect(await folderAt(t, '/src/sub/deep/')).toBeNull();
    expect(await delivered(t, 'src/a.jpg')).toBe(200);
    expect(await delivered(t, 'other/keep.jpg')).toBe(200);

    const again = await failure(t.client.folders.delete({ folderPath: '/src/sub/' }));
    expect(again.status).toBe(404);
    expect(again.body.message).toBe('No folder found with folderPath /src/sub/');
    expect((await failure(t.client.folders.delete({ folderPath: '/' }))).status).toBe(400);
    expect(await auditTrail(t)).toEqual(['folder.delete folder:/src/sub/']);
  });
});

describe('folder bulk jobs', () => {
  it('copies a folder with its nested subfolders into another, and reports the job Completed', async () => {
    const t = await newLibraryTenant();
    const ids = await putTree(t);
    await putOriginal(t.tenantId, 'src/a.jpg', await fixtureBytes(fixtures.photo1000x800.path));

    const { jobId } = await t.client.folders.copy({ sourceFolderPath: '/src/', destinationPath: '/dst/' });
    expect(await t.client.folders.job.get(jobId)).toEqual({ jobId, type: 'COPY_FOLDER', status: 'Completed' });
    for (const path of TREE) {
      expect(await delivered(t, `dst/${path}`)).toBe(200);
      expect(await delivered(t, path)).toBe(200);
    }
    expect(await folderAt(t, '/dst/src/sub/deep/')).not.toBeNull();
    const copied = (await fileAt(t.tenantId, '/dst/src/a.jpg'))!.fileId;
    expect(copied).not.toBe(ids.get('src/a.jpg'));
    // Only current versions without includeVersions.
    expect(await t.client.files.versions.list(copied)).toHaveLength(1);

    await t.client.folders.copy({ sourceFolderPath: '/src/', destinationPath: '/all/', includeVersions: true });
    expect(await t.client.files.versions.list((await fileAt(t.tenantId, '/all/src/a.jpg'))!.fileId)).toHaveLength(2);
    expect(await auditTrail(t)).toEqual(['bulk-job.copy-folder folder:/src/', 'bulk-job.copy-folder folder:/src/']);
  });

  it('moves a folder with its nested subfolders; files keep their ids', async () => {
    const t = await newLibraryTenant();
    const ids = await putTree(t);
    const { jobId } = await t.client.folders.move({ sourceFolderPath: '/src', destinationPath: '/dst' });
    expect(await t.client.folders.job.get(jobId)).toEqual({ jobId, type: 'MOVE_FOLDER', status: 'Completed' });
    for (const path of TREE) {
      expect((await fileAt(t.tenantId, `/dst/${path}`))?.fileId).toBe(ids.get(path));
      expect(await delivered(t, path)).toBe(404);
    }
    expect(await folderAt(t, '/src/')).toBeNull();
    expect(await folderAt(t, '/dst/src/sub/deep/')).not.toBeNull();

    const intoItself = await failure(t.client.folders.move({ sourceFolderPath: '/dst/', destinationPath: '/dst/src/' }));
    expect(intoItself.status).toBe(400);
    const missing = await failure(t.client.folders.move({ sourceFolderPath: '/src/', destinationPath: '/x/' }));
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('No folder found with folderPath /src/');
    expect(await auditTrail(t)).toEqual(['bulk-job.move-folder folder:/src/']);
  });

  it('renames a folder with its nested subfolders', async () => {
    const t = await newLibraryTenant();
    const ids = await putTree(t);
    const { jobId } = await t.client.folders.rename({ folderPath: '/src/', newFolderName: 'renamed' });
    expect(await t.client.folders.job.get(jobId)).toEqual({ jobId, type: 'RENAME_FOLDER', status: 'Completed' });
    for (const path of TREE) {
      const renamed = path.replace(/^src\//, 'renamed/');
      expect((await fileAt(t.tenantId, `/${renamed}`))?.fileId).toBe(ids.get(path));
      expect(await delivered(t, renamed)).toBe(200);
      expect(await delivered(t, path)).toBe(404);
    }
    expect(await folderAt(t, '/renamed/sub/deep/')).not.toBeNull();
    expect(await folderAt(t, '/src/')).toBeNull();

    await t.client.folders.create({ folderName: 'taken', parentFolderPath: '/' });
    const taken = await failure(t.client.folders.rename({ folderPath: '/renamed/', newFolderName: 'taken' }));
    expect(taken.status).toBe(409);
    expect(taken.headers.get('x-should-retry')).toBe('false');
    expect((await failure(t.client.folders.rename({ folderPath: '/', newFolderName: 'x' }))).status).toBe(400);
  });

  it('renameFolder with purgeCache records the purge request on the job', async () => {
    const t = await newLibraryTenant();
    await putTree(t);
    const { jobId } = await t.client.folders.rename({ folderPath: '/src/sub/', newFolderName: 'moved', purgeCache: true });
    const job = await t.client.folders.job.get(jobId);
    expect(job).toMatchObject({ jobId, type: 'RENAME_FOLDER', status: 'Completed', purgeRequestId: expect.any(String) });
    expect((await libraryOf(env, t.tenantId).purge(job.purgeRequestId!))?.url).toBe(`${t.endpoint}/src/sub/*`);
  });

  it('answers 404 for an unknown job', async () => {
    const t = await newLibraryTenant();
    expect((await failure(t.client.folders.job.get('nope'))).status).toBe(404);
  });
});

describe('folder permissions and isolation', () => {
  it('a key with files: read can read a job but gets 403 on every folder change', async () => {
    const t = await newLibraryTenant();
    await putTree(t);
    const { jobId } = await t.client.folders.copy({ sourceFolderPath: '/src/', destinationPath: '/dst/' });
    const reader = sdkFor((await addKey(t.tenantId, { files: 'read', settings: 'none', audit: 'none' })).privateKey);
    expect((await reader.folders.job.get(jobId)).status).toBe('Completed');
    const refused = [
      () => reader.folders.create({ folderName: 'x', parentFolderPath: '/' }),
      () => reader.folders.delete({ folderPath: '/src/' }),
      () => reader.folders.copy({ sourceFolderPath: '/src/', destinationPath: '/y/' }),
      () => reader.folders.move({ sourceFolderPath: '/src/', destinationPath: '/y/' }),
      () => reader.folders.rename({ folderPath: '/src/', newFolderName: 'y' }),
    ];
    for (const call of refused) expect((await failure(call())).status).toBe(403);
    expect(await folderAt(t, '/x/')).toBeNull();
    expect(await delivered(t, 'src/a.jpg')).toBe(200);
  });

  it("another tenant's key cannot see or change the folders and jobs (404)", async () => {
    const a = await newLibraryTenant();
    const b = await newLibraryTenant();
    await putTree(a);
    const { jobId } = await a.client.folders.copy({ sourceFolderPath: '/src/', destinationPath: '/dst/' });
    expect((await failure(b.client.folders.job.get(jobId))).status).toBe(404);
    expect((await failure(b.client.folders.delete({ folderPath: '/src/' }))).status).toBe(404);
    expect((await failure(b.client.folders.move({ sourceFolderPath: '/src/', destinationPath: '/y/' }))).status).toBe(404);
    expect((await failure(b.client.folders.rename({ folderPath: '/src/', newFolderName: 'y' }))).status).toBe(404);
    expect(await delivered(a, 'src/sub/deep/c.jpg')).toBe(200);
  });
});
