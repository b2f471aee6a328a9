/**
 * Library changes reach the tenant's bucket through the real queue and consumer: bytes under files/<path> and
 * versions/<fileId>/<versionId>, records beside them, deletes as the policy says, backfill of what came before,
 * and redelivered messages changing nothing.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { consumeQueue } from '../../../src/platform/queues';
import type { BackupMessage } from '../../../src/backup/message';
import type { FileRecord } from '../../../src/library/records';
import { callApi } from '../api-helpers';
import { backupBody, backupStatus, keysUnder, mirrored, objectBytes, objectJson, putBackup, sha256, waitForStatus, writesUnder } from '../backup-helpers';
import { fixtures } from '../../fixtures/registry';
import { fixtureBytes } from '../helpers';
import { newLibraryTenant, type LibraryTenant } from '../library-helpers';

const text = (s: string) => new TextEncoder().encode(s);

async function upload(t: LibraryTenant, folder: string, fileName: string, content: string) {
  const file = await t.client.files.upload({ file: new File([text(content)], fileName), fileName, folder, useUniqueFileName: false });
  return { fileId: file.fileId!, versionId: file.versionInfo!.id! };
}

const decoded = async (key: string) => {
  const bytes = await objectBytes(key);
  return bytes && new TextDecoder().decode(bytes);
};

describe('backup mirror', () => {
  it('mirrors uploads, versions, details, moves, restores and deletes (deletes: mirror)', async () => {
    const t = await newLibraryTenant();
    const { prefix } = await putBackup(t, backupBody({ deletes: 'mirror' })) as { prefix: string };
    const a1 = await upload(t, '/docs', 'a.txt', 'a version 1');
    const a2 = await upload(t, '/docs', 'a.txt', 'a version 2');
    expect(a2.fileId).toBe(a1.fileId);
    await t.client.files.update(a1.fileId, { tags: ['kept'], customCoordinates: '1,2,3,4' });
    const b = await upload(t, '/docs', 'b.txt', 'b only version');
    await mirrored(t);
    const A = a1.fileId;
    expect(await keysUnder(prefix)).toEqual(
      [
        'files/docs/a.txt',
        'files/docs/b.txt',
        'records/docs/a.txt.json',
        'records/docs/b.txt.json',
        `versions/${A}/${a1.versionId}`,
        `versions/${A}/${a1.versionId}.json`,
        `versions/${A}/${a2.versionId}`,
        `versions/${A}/${a2.versionId}.json`,
        `versions/${b.fileId}/${b.versionId}`,
        `versions/${b.fileId}/${b.versionId}.json`,
      ].sort(),
    );
    expect(await decoded(`${prefix}/files/docs/a.txt`)).toBe('a version 2');
    expect(await decoded(`${prefix}/versions/${A}/${a1.versionId}`)).toBe('a version 1');
    const record = await objectJson<FileRecord>(`${prefix}/records/docs/a.txt.json`);
    expect(record).toMatchObject({ id: A, path: '/docs/a.txt', tags: ['kept'], customCoordinates: '1,2,3,4', version: { id: a2.versionId } });
    expect(await objectJson(`${prefix}/versions/${A}/${a1.versionId}.json`)).toMatchObject({ id: a1.versionId, fileId: A, number: 1 });

    // A rename, then a folder move: the copies follow, nothing stays at the old paths.
    await t.client.files.rename({ filePath: '/docs/a.txt', newFileName: 'c.txt' });
    await t.client.folders.move({ sourceFolderPath: '/docs', destinationPath: '/archive' });
    await mirrored(t);
    const files = (await keysUnder(prefix)).filter((k) => !k.startsWith('versions/'));
    expect(files).toEqual(['files/archive/docs/b.txt', 'files/archive/docs/c.txt', 'records/archive/docs/b.txt.json', 'records/archive/docs/c.txt.json']);
    expect(await decoded(`${prefix}/files/archive/docs/c.txt`)).toBe('a version 2');

    // Restoring version 1 puts its bytes back at the path; deleting version 2 (now older) removes its copy.
    await t.client.files.versions.restore(a1.versionId, { fileId: A });
    await t.client.files.versions.delete(a2.versionId, { fileId: A });
    await t.client.files.delete(b.fileId);
    await mirrored(t);
    expect(await keysUnder(prefix)).toEqual(['files/archive/docs/c.txt', 'records/archive/docs/c.txt.json', `versions/${A}/${a1.versionId}`, `versions/${A}/${a1.versionId}.json`]);
    expect(await decoded(`${prefix}/files/archive/docs/c.txt`)).toBe('a version 1');
    expect(await objectJson(`${prefix}/records/archive/docs/c.txt.json`)).toMatchObject({ id: A, version: { id: a1.versionId } });

    const status = await backupStatus(t);
    expect(status).toMatchObject({ enabled: true, pending: 0, lagSeconds: 0, failures: [] });
    expect(Date.parse(status.lastMirroredAt!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('copies an image byte for byte, with its record', async () => {
    const t = await newLibraryTenant();
    const { prefix } = (await putBackup(t, backupBody())) as { prefix: string };
    const bytes = await fixtureBytes(fixtures.jpegBaseline.path);
    const file = await t.client.files.upload({ file: new File([bytes], 'cat.jpg'), fileName: 'cat.jpg', folder: '/pets', useUniqueFileName: false });
    await mirrored(t);
    const copy = await objectBytes(`${prefix}/files/pets/cat.jpg`);
    expect(copy!.byteLength).toBe(bytes.byteLength);
    expect(await sha256(copy!)).toBe(await sha256(bytes));
    expect(await sha256((await objectBytes(`${prefix}/versions/${file.fileId}/${file.versionInfo!.id}`))!)).toBe(await sha256(bytes));
    expect(await objectJson(`${prefix}/records/pets/cat.jpg.json`)).toMatchObject({
      id: file.fileId,
      version: { media: { mime: 'image/jpeg', width: fixtures.jpegBaseline.width, height: fixtures.jpegBaseline.height, size: bytes.byteLength } },
    });
  });

  it('keeps what the library deletes (deletes: keep), marking the record deleted', async () => {
    const t = await newLibraryTenant();
    const { prefix } = await putBackup(t, backupBody({ deletes: 'keep' })) as { prefix: string };
    const v1 = await upload(t, '/', 'k.txt', 'keep 1');
    const v2 = await upload(t, '/', 'k.txt', 'keep 2');
    await t.client.files.versions.delete(v1.versionId, { fileId: v1.fileId });
    await t.client.files.delete(v1.fileId);
    await mirrored(t);
    expect(await keysUnder(prefix)).toEqual(
      ['files/k.txt', 'records/k.txt.json', `versions/${v1.fileId}/${v1.versionId}`, `versions/${v1.fileId}/${v1.versionId}.json`, `versions/${v1.fileId}/${v2.versionId}`, `versions/${v1.fileId}/${v2.versionId}.json`].sort(),
    );
    expect(await decoded(`${prefix}/files/k.txt`)).toBe('keep 2');
    const record = await objectJson<FileRecord & { deletedAt: number }>(`${prefix}/records/k.txt.json`);
    expect(record.id).toBe(v1.fileId);
    expect(record.deletedAt).toBeGreaterThan(Date.now() - 60_000);
  });

  it('backfills what the library held before backup was set up, page by page, reported in the status', async () => {
    const t = await newLibraryTenant();
    const x1 = await upload(t, '/old', 'x.txt', 'x 1');
    const x2 = await upload(t, '/old', 'x.txt', 'x 2');
    const y = await upload(t, '/', 'y.txt', 'y');
    const { prefix } = await putBackup(t, backupBody()) as { prefix: string };
    expect((await backupStatus(t)).pending).toBe(0);
    expect(await keysUnder(prefix)).toEqual([]);

    const started = await callApi(t.auth, 'POST', '/v1/accounts/backup/backfill');
    expect(started.status).toBe(202);
    expect(await started.json()).toMatchObject({ status: 'done', filesTotal: 2, filesQueued: 2, versionsQueued: 3 });
    // A live change while the backfill's changes wait: it comes after them, so it wins.
    await t.client.files.update(y.fileId, { tags: ['live'] });
    const status = await waitForStatus(t, (s) => s.pending === 0 && s.backfill?.status === 'done');
    expect(status.backfill).toMatchObject({ filesTotal: 2, filesQueued: 2, versionsQueued: 3 });
    expect(await keysUnder(prefix)).toEqual(
      [
        'files/old/x.txt',
        'files/y.txt',
        'records/old/x.txt.json',
        'records/y.txt.json',
        `versions/${x1.fileId}/${x1.versionId}`,
        `versions/${x1.fileId}/${x1.versionId}.json`,
        `versions/${x1.fileId}/${x2.versionId}`,
        `versions/${x1.fileId}/${x2.versionId}.json`,
        `versions/${y.fileId}/${y.versionId}`,
        `versions/${y.fileId}/${y.versionId}.json`,
      ].sort(),
    );
    expect(await decoded(`${prefix}/files/old/x.txt`)).toBe('x 2');
    expect(await objectJson(`${prefix}/records/y.txt.json`)).toMatchObject({ tags: ['live'] });
  });

  it('acknowledges a redelivered message without writing anything again', async () => {
    const t = await newLibraryTenant();
    const { prefix } = await putBackup(t, backupBody()) as { prefix: string };
    const first = await upload(t, '/', 'r.txt', 'first');
    await upload(t, '/', 'r.txt', 'second');
    await mirrored(t);
    const before = await writesUnder(prefix);
    // The first upload's message again (sequence 1 of this tenant's outbox), after the newer version was mirrored.
    const body: BackupMessage = {
      account: t.tenantId,
      action: 'PutObject',
      bucket: 'edgepix-media',
      object: { key: '' },
      eventTime: new Date().toISOString(),
      tenant: t.tenantId,
      fileId: first.fileId,
      versionId: first.versionId,
      op: 'put',
      seq: 1,
    };
    const batch = createMessageBatch<BackupMessage>('edgepix-backup', [{ id: 'again', timestamp: new Date(), attempts: 1, body }]);
    const ctx = createExecutionContext();
    await consumeQueue(batch as MessageBatch<unknown>, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(['again']);
    expect(result.retryMessages).toEqual([]);
    expect(await writesUnder(prefix)).toEqual(before);
    expect(await decoded(`${prefix}/files/r.txt`)).toBe('second');
  });
});
