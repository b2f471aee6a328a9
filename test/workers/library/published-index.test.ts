/**
 * The published index: after every change that affects delivery, KV holds each touched path's delivery record
 * (as `lookup` makes it) by the time the API answers, or no key when the path has no published file. What a
 * change could not publish, the alarm does: rows left in the delivery outbox, and a library from before the index.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MediaLibrary } from '../../../src/durable/media-library';
import { type PublishedFile, publishedKey, publishedPrefix } from '../../../src/library/published';
import { fixtures } from '../../fixtures/registry';
import { fixtureBytes } from '../helpers';
import { fileAt, type LibraryTenant, newLibraryTenant } from '../library-helpers';

const FIRST = fixtures.jpegBaseline;
const SECOND = fixtures.photo1000x800;

const stubOf = (tenantId: string) => env.MEDIA_LIBRARY.get(env.MEDIA_LIBRARY.idFromName(tenantId));

const published = (t: LibraryTenant, path: string) => env.CONFIG.get<PublishedFile>(publishedKey(t.tenantId, path), 'json');

/** The published entry of `path`, checked against what the object itself answers for it. */
async function publishedAsLookup(t: LibraryTenant, path: string): Promise<PublishedFile> {
  const record = await fileAt(t.tenantId, path);
  expect(record, `a published file at ${path}`).not.toBeNull();
  const { versionId, size, mime, isPrivate, updatedAt } = record!;
  const entry = await published(t, path);
  expect(entry).toEqual({ versionId, size, mime, isPrivate, updatedAt });
  return entry!;
}

async function upload(t: LibraryTenant, filePath: string, fixture = FIRST.path, options: { isPrivateFile?: boolean } = {}) {
  const slash = filePath.lastIndexOf('/');
  const fileName = filePath.slice(slash + 1);
  const bytes = await fixtureBytes(fixture);
  const file = await t.client.files.upload({
    file: new File([bytes], fileName),
    fileName,
    folder: filePath.slice(0, slash + 1) || '/',
    useUniqueFileName: false,
    ...options,
  });
  return { fileId: file.fileId!, versionId: file.versionInfo!.id!, size: bytes.length };
}

const queuedIn = (state: DurableObjectState) =>
  state.storage.sql.exec<{ path: string }>('SELECT path FROM delivery_outbox ORDER BY seq').toArray().map((row) => row.path);

const queuedPaths = (tenantId: string) => runInDurableObject(stubOf(tenantId), (_library, state) => queuedIn(state));

afterEach(() => vi.restoreAllMocks());

describe('a change answers once the published index holds it', () => {
  it('an upload publishes the file as lookup finds it', async () => {
    const t = await newLibraryTenant();
    const { fileId, size } = await upload(t, '/a/b.jpg');
    const entry = await publishedAsLookup(t, '/a/b.jpg');
    expect(entry).toMatchObject({ versionId: fileId, size, mime: 'image/jpeg', isPrivate: false });
    expect(await queuedPaths(t.tenantId)).toEqual([]);
  });

  it('an upload over an existing path publishes the new version', async () => {
    const t = await newLibraryTenant();
    const first = await upload(t, '/a/b.jpg');
    const second = await upload(t, '/a/b.jpg', SECOND.path);
    expect(second.versionId).not.toBe(first.versionId);
    expect(await publishedAsLookup(t, '/a/b.jpg')).toMatchObject({ versionId: second.versionId, size: second.size });
  });

  it('restoring an older version publishes it again', async () => {
    const t = await newLibraryTenant();
    const first = await upload(t, '/a/b.jpg');
    await upload(t, '/a/b.jpg', SECOND.path);
    await t.client.files.versions.restore(first.versionId, { fileId: first.fileId });
    expect(await publishedAsLookup(t, '/a/b.jpg')).toMatchObject({ versionId: first.versionId, size: first.size });
  });

  it('privacy follows the current version; unpublishing removes the key and publishing brings it back', async () => {
    const t = await newLibraryTenant();
    const { fileId } = await upload(t, '/p.jpg');
    const hidden = await upload(t, '/p.jpg', SECOND.path, { isPrivateFile: true });
    expect(await publishedAsLookup(t, '/p.jpg')).toMatchObject({ versionId: hidden.versionId, isPrivate: true });

    await t.client.files.update(fileId, { publish: { isPublished: false } });
    expect(await fileAt(t.tenantId, '/p.jpg')).toBeNull();
    expect(await published(t, '/p.jpg')).toBeNull();

    await t.client.files.update(fileId, { publish: { isPublished: true } });
    expect(await publishedAsLookup(t, '/p.jpg')).toMatchObject({ versionId: hidden.versionId, isPrivate: true });
  });

  it('a change of details moves updatedAt with the record', async () => {
    const t = await newLibraryTenant();
    const { fileId } = await upload(t, '/d.jpg');
    const before = await publishedAsLookup(t, '/d.jpg');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await t.client.files.update(fileId, { tags: ['new'] });
    expect((await publishedAsLookup(t, '/d.jpg')).updatedAt).toBeGreaterThan(before.updatedAt);
  });

  it('deleting files, one or in bulk, removes their keys', async () => {
    const t = await newLibraryTenant();
    const one = await upload(t, '/one.jpg');
    const two = await upload(t, '/two.jpg');
    const three = await upload(t, '/three.jpg');
    await t.client.files.delete(one.fileId);
    expect(await published(t, '/one.jpg')).toBeNull();
    await publishedAsLookup(t, '/two.jpg');

    await t.client.files.bulk.delete({ fileIds: [two.fileId, three.fileId] });
    expect(await published(t, '/two.jpg')).toBeNull();
    expect(await published(t, '/three.jpg')).toBeNull();
    expect(await queuedPaths(t.tenantId)).toEqual([]);
  });

  it('moving and renaming a file moves its key', async () => {
    const t = await newLibraryTenant();
    const { fileId } = await upload(t, '/a/b.jpg');
    await t.client.files.move({ sourceFilePath: '/a/b.jpg', destinationPath: '/c/' });
    expect(await published(t, '/a/b.jpg')).toBeNull();
    expect(await publishedAsLookup(t, '/c/b.jpg')).toMatchObject({ versionId: fileId });

    await t.client.files.rename({ filePath: '/c/b.jpg', newFileName: 'e.jpg' });
    expect(await published(t, '/c/b.jpg')).toBeNull();
    expect(await publishedAsLookup(t, '/c/e.jpg')).toMatchObject({ versionId: fileId });
  });

  it('copying a file publishes the copy and keeps the source', async () => {
    const t = await newLibraryTenant();
    const source = await upload(t, '/a/b.jpg');
    await t.client.files.copy({ sourceFilePath: '/a/b.jpg', destinationPath: '/c/' });
    expect(await publishedAsLookup(t, '/a/b.jpg')).toMatchObject({ versionId: source.versionId });
    expect((await publishedAsLookup(t, '/c/b.jpg')).versionId).not.toBe(source.versionId);
  });

  it('moving, renaming and deleting a folder moves and removes the keys of everything inside', async () => {
    const t = await newLibraryTenant();
    await upload(t, '/src/a.jpg');
    await upload(t, '/src/sub/b.jpg');
    await t.client.folders.move({ sourceFolderPath: '/src', destinationPath: '/dst' });
    for (const path of ['/src/a.jpg', '/src/sub/b.jpg']) expect(await published(t, path)).toBeNull();
    await publishedAsLookup(t, '/dst/src/a.jpg');
    await publishedAsLookup(t, '/dst/src/sub/b.jpg');

    await t.client.folders.rename({ folderPath: '/dst/src/', newFolderName: 'renamed' });
    for (const path of ['/dst/src/a.jpg', '/dst/src/sub/b.jpg']) expect(await published(t, path)).toBeNull();
    await publishedAsLookup(t, '/dst/renamed/a.jpg');
    await publishedAsLookup(t, '/dst/renamed/sub/b.jpg');

    await t.client.folders.delete({ folderPath: '/dst/' });
    expect((await env.CONFIG.list({ prefix: publishedPrefix(t.tenantId) })).keys).toEqual([]);
  });
});

describe('what a change could not publish, the alarm does', () => {
  it('a library from before the index is published by the alarm the migration sets', async () => {
    const t = await newLibraryTenant();
    const a = await upload(t, '/old/a.jpg');
    const b = await upload(t, '/old/b.jpg', SECOND.path);
    // Back to the first schema, with no published keys: the library as it was before the index.
    await runInDurableObject(stubOf(t.tenantId), (_library, state) => {
      state.storage.sql.exec(`DROP TRIGGER files_inserted_for_delivery; DROP TRIGGER files_updated_for_delivery;
        DROP TRIGGER files_deleted_for_delivery; DROP TRIGGER versions_updated_for_delivery; DROP TABLE delivery_outbox;
        ALTER TABLE versions DROP COLUMN video;
        DROP TABLE backup_settings; DROP TABLE backup_outbox; DROP TABLE backup_files; DROP TABLE backup_failures;
        DROP TABLE backup_state;
        ALTER TABLE usage_days DROP COLUMN transformations; ALTER TABLE usage_days DROP COLUMN video_seconds;
        UPDATE meta SET value = '1' WHERE key = 'schema_version'`);
      return state.storage.deleteAlarm();
    });
    await env.CONFIG.delete(publishedKey(t.tenantId, '/old/a.jpg'));
    await env.CONFIG.delete(publishedKey(t.tenantId, '/old/b.jpg'));
    await runInDurableObject(stubOf(t.tenantId), (_library, state) => state.abort('restarted by the test')).catch(() => undefined);

    // The next start migrates, queues every file and sets the alarm.
    const stub = stubOf(t.tenantId);
    expect(await runInDurableObject(stub, (_library, state) => state.storage.getAlarm())).not.toBeNull();
    expect((await queuedPaths(t.tenantId)).sort()).toEqual(['/old/a.jpg', '/old/b.jpg']);
    expect(await published(t, '/old/a.jpg')).toBeNull();

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await publishedAsLookup(t, '/old/a.jpg')).toMatchObject({ versionId: a.versionId, size: a.size });
    expect(await publishedAsLookup(t, '/old/b.jpg')).toMatchObject({ versionId: b.versionId, size: b.size });
    expect(await queuedPaths(t.tenantId)).toEqual([]);
  });

  it('a KV write that fails does not fail the change; its rows stay, are logged, and the alarm publishes them', async () => {
    const t = await newLibraryTenant();
    const first = await upload(t, '/k.jpg');
    const second = await upload(t, '/k.jpg', SECOND.path);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    const restored = await runInDurableObject(stubOf(t.tenantId), async (library) => {
      const kv = (library as unknown as { env: { CONFIG: KVNamespace } }).env.CONFIG;
      const put = kv.put;
      kv.put = () => Promise.reject(new Error('KV is unavailable'));
      try {
        return await (library as MediaLibrary).restoreVersion(first.fileId, first.versionId);
      } finally {
        kv.put = put;
      }
    });
    expect(restored.ok).toBe(true);
    expect(await fileAt(t.tenantId, '/k.jpg')).toMatchObject({ versionId: first.versionId });
    // KV still has the version that was current before, and the path waits in the outbox.
    expect(await published(t, '/k.jpg')).toMatchObject({ versionId: second.versionId });
    expect(new Set(await queuedPaths(t.tenantId))).toEqual(new Set(['/k.jpg']));
    const logged = errors.mock.calls.find((args) => String(args[0]).startsWith('published index:'));
    expect(logged?.[0]).toBe(`published index: 1 path(s) of tenant ${t.tenantId} not written, left for the alarm`);
    expect(String(logged?.[1])).toContain('KV is unavailable');

    expect(await runDurableObjectAlarm(stubOf(t.tenantId))).toBe(true);
    expect(await publishedAsLookup(t, '/k.jpg')).toMatchObject({ versionId: first.versionId, size: first.size });
    expect(await queuedPaths(t.tenantId)).toEqual([]);
  });

  it('more rows than one call publishes are finished by the alarms that follow', async () => {
    const t = await newLibraryTenant();
    const ghosts = Array.from({ length: 900 }, (_, i) => `/ghost/${i}.jpg`);
    // Keys of paths that have no file (left by a failed delete): publishing them removes the keys.
    await Promise.all(ghosts.map((path) => env.CONFIG.put(publishedKey(t.tenantId, path), '{}')));
    const afterAlarm = (library: unknown, state: DurableObjectState) =>
      (library as MediaLibrary).alarm().then(async () => ({ queued: await queuedIn(state), alarm: await state.storage.getAlarm() }));
    await runInDurableObject(stubOf(t.tenantId), (_library, state) => {
      state.storage.sql.exec('INSERT INTO delivery_outbox (path) SELECT value FROM json_each(?)', JSON.stringify(ghosts));
    });

    const first = await runInDurableObject(stubOf(t.tenantId), afterAlarm);
    expect(first.queued).toEqual(ghosts.slice(800));
    expect(first.alarm).not.toBeNull();
    const second = await runInDurableObject(stubOf(t.tenantId), afterAlarm);
    expect(second.queued).toEqual([]);
    expect((await env.CONFIG.list({ prefix: publishedPrefix(t.tenantId) })).keys).toEqual([]);
  });
});

describe('erasing the library', () => {
  it('deletes every key of the tenant in the published index, listed ones included', async () => {
    const t = await newLibraryTenant();
    const other = await newLibraryTenant();
    await upload(t, '/a.jpg');
    await upload(t, '/b/c.jpg');
    await upload(other, '/a.jpg');
    // A key no file of the library names any more.
    await env.CONFIG.put(publishedKey(t.tenantId, '/stale.jpg'), '{}');

    await runInDurableObject(stubOf(t.tenantId), (library) => (library as MediaLibrary).erase());
    expect((await env.CONFIG.list({ prefix: publishedPrefix(t.tenantId) })).keys).toEqual([]);
    expect(await queuedPaths(t.tenantId)).toEqual([]);
    await publishedAsLookup(other, '/a.jpg');
  });
});
