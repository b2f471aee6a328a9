/**
 * Failures injected at each step of storing a file: nothing is ever visible without its bytes, the previous
 * version keeps being served, and bytes left without a record are swept.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { MediaLibrary } from '../../../src/durable/media-library';
import { HttpError } from '../../../src/http/errors';
import { libraryOf } from '../../../src/library/client';
import { type BlobWriter, ingest, type IngestRequest, PLAIN_FILE, r2Writer } from '../../../src/library/ingest';
import { mediaInfo } from '../../../src/library/media-info';
import { fixtures } from '../../fixtures/registry';
import { decodeResponse, fixtureBytes, get } from '../helpers';
import { newLibraryTenant } from '../library-helpers';

const stubOf = (tenantId: string) => env.MEDIA_LIBRARY.get(env.MEDIA_LIBRARY.idFromName(tenantId));
const stored = async (tenantId: string) => (await env.MEDIA.list({ prefix: `library/${tenantId}/` })).objects.map((o) => o.key);

async function request(bytes: Uint8Array, name = 'f.jpg', overrides: Partial<IngestRequest> = {}): Promise<IngestRequest> {
  return { ...PLAIN_FILE, folder: '/', name, media: await mediaInfo(bytes, name), ...overrides };
}

const failingWriter: BlobWriter = {
  put: () => Promise.reject(new Error('injected: R2 is down')),
};

/** Runs the sweep as if the reservations had run out long ago. */
async function sweepExpired(tenantId: string): Promise<void> {
  await runInDurableObject(stubOf(tenantId), async (library, state) => {
    state.storage.sql.exec('UPDATE blobs SET reserved_until = 1 WHERE reserved_until > 1');
    await (library as MediaLibrary).sweep();
  });
}

describe('storing a file, with failures injected', () => {
  it('an R2 write that fails answers 503, stores no record and keeps serving the previous version', async () => {
    const t = await newLibraryTenant();
    const jpeg = await fixtureBytes(fixtures.jpegBaseline.path);
    const png = await fixtureBytes(fixtures.basn6a08.path);
    const library = libraryOf(env, t.tenantId);
    await ingest(library, jpeg, await request(jpeg), r2Writer(env.MEDIA));

    const error = await ingest(library, png, await request(png), failingWriter).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    const listed = await t.client.assets.list();
    expect(listed).toHaveLength(1);
    expect((listed[0] as { versionInfo: { name: string } }).versionInfo.name).toBe('Version 1');
    expect((await decodeResponse(await get(`/${t.tenantId}/f.jpg`))).width).toBe(fixtures.jpegBaseline.width);
    await sweepExpired(t.tenantId);
    expect(await stored(t.tenantId)).toHaveLength(1);
  });

  it('a commit that fails after the bytes were written leaves only orphaned bytes, which the sweep deletes', async () => {
    const t = await newLibraryTenant();
    const bytes = await fixtureBytes(fixtures.jpegBaseline.path);
    const real = libraryOf(env, t.tenantId);
    const failingCommit = { ...real, reserveBlob: real.reserveBlob, releaseBlob: real.releaseBlob, commitUpload: () => Promise.reject(new Error('injected: commit lost')) };
    await expect(ingest(failingCommit, bytes, await request(bytes), r2Writer(env.MEDIA))).rejects.toThrow('injected');
    expect(await stored(t.tenantId)).toHaveLength(1);
    expect(await t.client.assets.list()).toEqual([]);
    expect((await get(`/${t.tenantId}/f.jpg`)).status).toBe(404);
    // The failed upload gave its reservation back: the next alarm deletes the bytes.
    await runDurableObjectAlarm(stubOf(t.tenantId));
    expect(await stored(t.tenantId)).toEqual([]);
  });

  it('a Worker that dies between the R2 write and the commit leaves bytes the sweep removes once the reservation runs out', async () => {
    const t = await newLibraryTenant();
    const bytes = await fixtureBytes(fixtures.jpegBaseline.path);
    const library = libraryOf(env, t.tenantId);
    const hash = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
    const { key } = await library.reserveBlob(hash, bytes.length);
    await env.MEDIA.put(key, bytes);
    // Still reserved: an upload in flight must not lose its bytes.
    await runInDurableObject(stubOf(t.tenantId), (library) => (library as MediaLibrary).sweep());
    expect(await stored(t.tenantId)).toEqual([key]);
    await sweepExpired(t.tenantId);
    expect(await stored(t.tenantId)).toEqual([]);
    // A commit after the reservation ran out is refused rather than pointing at deleted bytes.
    await expect(library.commitUpload({ ...(await request(bytes)), blob: hash })).rejects.toMatchObject({ status: 503 });
  });

  it('a refused commit (409) leaves nothing behind, and deleting a file keeps bytes another copy still uses', async () => {
    const t = await newLibraryTenant();
    const bytes = await fixtureBytes(fixtures.jpegBaseline.path);
    const library = libraryOf(env, t.tenantId);
    const file = await ingest(library, bytes, await request(bytes, 'a.jpg'), r2Writer(env.MEDIA));
    const png = await fixtureBytes(fixtures.basn6a08.path);
    await expect(ingest(library, png, await request(png, 'a.jpg', { overwriteFile: false }), r2Writer(env.MEDIA))).rejects.toMatchObject({
      status: 409,
    });
    await runDurableObjectAlarm(stubOf(t.tenantId));
    expect(await stored(t.tenantId)).toHaveLength(1);

    await t.client.files.copy({ sourceFilePath: '/a.jpg', destinationPath: '/copies/' });
    await t.client.files.delete(file.id);
    await sweepExpired(t.tenantId);
    expect(await stored(t.tenantId)).toHaveLength(1);
    expect((await get(`/${t.tenantId}/copies/a.jpg`)).status).toBe(200);
    const [copy] = (await t.client.assets.list()) as { fileId: string }[];
    await t.client.files.delete(copy!.fileId);
    await sweepExpired(t.tenantId);
    expect(await stored(t.tenantId)).toEqual([]);
  });

  it('bytes being deleted cannot be reserved until the deletion is done', async () => {
    const t = await newLibraryTenant();
    const result = await runInDurableObject(stubOf(t.tenantId), (library, state) => {
      state.storage.sql.exec("INSERT INTO blobs (hash, size, reserved_until, created_at) VALUES ('abc', 1, -1, 0)");
      return (library as MediaLibrary).reserveBlob('abc', 1);
    });
    expect(result).toMatchObject({ ok: false, error: { status: 503 } });
  });
});
