/**
 * Reconcile against s3rver (test/backup-setup.ts) through the real queue and consumer: objects deleted behind
 * the mirror's back come back, stray ones go (or stay, when the tenant keeps deletes), corrupted sidecars are
 * written again; a pass runs in bounded steps and resumes; the cron task drives it; the status reports it.
 */
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../../src/index';
import { BackupBucket } from '../../../src/backup/bucket';
import { RECONCILE_CRON } from '../../../src/backup/reconcile/cron';
import { reconcile, type ReconcileReport } from '../../../src/backup/reconcile/run';
import { targetOf } from '../../../src/backup/target';
import type { FileRecord } from '../../../src/library/records';
import { libraryOf } from '../../../src/library/client';
import { callApi } from '../api-helpers';
import { backupBody, backupStatus, bucket, keysUnder, mirrored, objectBytes, objectJson, putBackup } from '../backup-helpers';
import { newLibraryTenant, type LibraryTenant } from '../library-helpers';

const text = (s: string) => new TextEncoder().encode(s);
const decoded = async (key: string) => {
  const bytes = await objectBytes(key);
  return bytes && new TextDecoder().decode(bytes);
};

/** The bucket's owner, writing behind the mirror's back. */
const owner = new BackupBucket(
  { endpoint: bucket.url, region: 'us-east-1', bucket: bucket.bucket, forcePathStyle: true },
  { accessKeyId: bucket.accessKey, secretAccessKey: bucket.secretKey },
  { ALLOW_PRIVATE_ORIGINS: 'true' },
);

async function upload(t: LibraryTenant, folder: string, fileName: string, content: string) {
  const file = await t.client.files.upload({ file: new File([text(content)], fileName), fileName, folder, useUniqueFileName: false });
  return { fileId: file.fileId!, versionId: file.versionInfo!.id! };
}

/** A tenant mirroring into a fresh prefix, with two files (one with two versions) already in the bucket. */
async function mirroredTenant(deletes: 'mirror' | 'keep' = 'mirror') {
  const t = await newLibraryTenant();
  const { prefix } = (await putBackup(t, backupBody({ deletes }))) as { prefix: string };
  const a1 = await upload(t, '/docs', 'a.txt', 'a version 1');
  const a2 = await upload(t, '/docs', 'a.txt', 'a version 2');
  const b = await upload(t, '/', 'b.txt', 'b');
  await mirrored(t);
  return { t, prefix, a1, a2, b, keys: await keysUnder(prefix) };
}

async function reconcileApi(t: LibraryTenant): Promise<{ status: number; report: ReconcileReport & { startedAt: string } }> {
  const response = await callApi(t.auth, 'POST', '/v1/accounts/backup/reconcile');
  return { status: response.status, report: await response.json() };
}

describe('backup reconcile', () => {
  it('finds nothing to repair in a bucket the mirror keeps, and queues nothing', async () => {
    const { t, prefix, keys } = await mirroredTenant();
    expect(keys).toHaveLength(10);
    const { status, report } = await reconcileApi(t);
    expect(status).toBe(200);
    expect(report).toMatchObject({ status: 'done', keysCompared: 10, missing: 0, stale: 0, orphaned: 0, repaired: 0, removed: 0 });
    expect((await backupStatus(t)).pending).toBe(0);
    expect(await keysUnder(prefix)).toEqual(keys);
  });

  it('writes again what was deleted behind its back: current bytes, a version, a record', async () => {
    const { t, prefix, a1, b, keys } = await mirroredTenant();
    await owner.delete(`${prefix}/files/docs/a.txt`);
    await owner.delete(`${prefix}/versions/${a1.fileId}/${a1.versionId}`);
    await owner.delete(`${prefix}/records/b.txt.json`);
    const { report } = await reconcileApi(t);
    // Three objects of three versions: a's current, a's first, b's.
    expect(report).toMatchObject({ status: 'done', missing: 3, stale: 0, orphaned: 0, repaired: 3 });
    await mirrored(t);
    expect(await keysUnder(prefix)).toEqual(keys);
    expect(await decoded(`${prefix}/files/docs/a.txt`)).toBe('a version 2');
    expect(await decoded(`${prefix}/versions/${a1.fileId}/${a1.versionId}`)).toBe('a version 1');
    expect(await objectJson<FileRecord>(`${prefix}/records/b.txt.json`)).toMatchObject({ id: b.fileId, path: '/b.txt' });
  });

  it('writes again bytes of the wrong size and a corrupted or outdated sidecar', async () => {
    const { t, prefix, a1, a2 } = await mirroredTenant();
    await owner.put(`${prefix}/files/b.txt`, 'not b at all', 'text/plain');
    await owner.put(`${prefix}/records/docs/a.txt.json`, '{"id": "broken', 'application/json');
    await owner.put(`${prefix}/versions/${a1.fileId}/${a1.versionId}.json`, JSON.stringify({ id: 'someone-else', fileId: a1.fileId }), 'application/json');
    const { report } = await reconcileApi(t);
    expect(report).toMatchObject({ missing: 0, stale: 3, repaired: 3 });
    await mirrored(t);
    expect(await decoded(`${prefix}/files/b.txt`)).toBe('b');
    expect(await objectJson<FileRecord>(`${prefix}/records/docs/a.txt.json`)).toMatchObject({ id: a1.fileId, version: { id: a2.versionId } });
    expect(await objectJson(`${prefix}/versions/${a1.fileId}/${a1.versionId}.json`)).toMatchObject({ id: a1.versionId });
    // Repaired means in sync: a second pass finds nothing.
    expect((await reconcileApi(t)).report).toMatchObject({ missing: 0, stale: 0, orphaned: 0, repaired: 0 });
  });

  it('removes stray objects when deletes are mirrored', async () => {
    const { t, prefix, a1, keys } = await mirroredTenant('mirror');
    const strays = ['files/stray.jpg', 'records/gone.txt.json', `versions/${a1.fileId}/${'f'.repeat(24)}`, 'notes.txt'];
    for (const key of strays) await owner.put(`${prefix}/${key}`, 'stray', 'text/plain');
    const { report } = await reconcileApi(t);
    expect(report).toMatchObject({ orphaned: 4, kept: 0, removed: 4, repaired: 0 });
    await mirrored(t);
    expect(await keysUnder(prefix)).toEqual(keys);
  });

  it('keeps stray objects when the tenant keeps deletes, and counts them', async () => {
    const { t, prefix, keys } = await mirroredTenant('keep');
    await owner.put(`${prefix}/files/stray.jpg`, 'stray', 'text/plain');
    const { report } = await reconcileApi(t);
    expect(report).toMatchObject({ orphaned: 1, kept: 1, removed: 0 });
    await mirrored(t);
    expect(await keysUnder(prefix)).toEqual([...keys, 'files/stray.jpg'].sort());
  });

  it('runs a pass in bounded steps that resume from the last key compared', async () => {
    const { t, prefix, a2, keys } = await mirroredTenant();
    await owner.delete(`${prefix}/versions/${a2.fileId}/${a2.versionId}.json`);
    await owner.put(`${prefix}/records/zz-stray.json`, 'stray', 'text/plain');
    const library = libraryOf(env, t.tenantId);
    const target = await targetOf(env, t.tenantId, (await library.backupSettings())!);
    const steps: ReconcileReport[] = [];
    let report = (await library.backupReconcile()) ?? undefined;
    expect(report).toBeUndefined();
    for (;;) {
      report = await reconcile(library, target, report ?? { ...(await freshReport()) }, { maxSteps: 1, pageSize: 3 });
      steps.push(report);
      if (report.status === 'done') break;
      // What a later call (the cron's) starts from: the saved progress.
      expect(await library.backupReconcile()).toEqual(report);
    }
    // Ten keys (one deleted, one stray), three a page: at least three steps, each starting after the previous one's last key.
    expect(steps.length).toBeGreaterThanOrEqual(4);
    const markers = steps.slice(0, -1).map((s) => s.marker!);
    expect([...markers].sort()).toEqual(markers);
    expect(report).toMatchObject({ keysCompared: 10, missing: 1, orphaned: 1, repaired: 1, removed: 1 });
    await mirrored(t);
    expect(await keysUnder(prefix)).toEqual(keys);
    expect((await backupStatus(t)) as unknown).toMatchObject({ reconcile: { status: 'done', missing: 1, removed: 1 } });
  });

  it('is driven by the hourly cron, which finishes a pass over a few runs', async () => {
    const { t, prefix, b, keys } = await mirroredTenant();
    await owner.delete(`${prefix}/files/b.txt`);
    let status = (await backupStatus(t)) as unknown as { reconcile: ReconcileReport | null };
    for (let run = 0; run < 50 && status.reconcile?.status !== 'done'; run++) {
      const ctx = createExecutionContext();
      await worker.scheduled!(createScheduledController({ cron: RECONCILE_CRON, scheduledTime: Date.now() }), env, ctx);
      await waitOnExecutionContext(ctx);
      status = (await backupStatus(t)) as unknown as typeof status;
    }
    expect(status.reconcile).toMatchObject({ status: 'done', missing: 1, repaired: 1 });
    await mirrored(t);
    expect(await keysUnder(prefix)).toEqual(keys);
    expect(await decoded(`${prefix}/files/b.txt`)).toBe('b');
    expect(b.fileId).toMatch(/^[0-9a-f]{24}$/);
  });

  it('answers 409 without a target and 502 naming the bucket\'s refusal, which the status shows', async () => {
    const t = await newLibraryTenant();
    expect((await callApi(t.auth, 'POST', '/v1/accounts/backup/reconcile')).status).toBe(409);
    await putBackup(t, backupBody({ secretAccessKey: 'wrong-secret' }));
    const refused = await callApi(t.auth, 'POST', '/v1/accounts/backup/reconcile');
    expect(refused.status).toBe(502);
    expect(((await refused.json()) as { message: string }).message).toContain('SignatureDoesNotMatch');
    const failures = (await backupStatus(t)).failures;
    expect(failures[0]).toMatchObject({ step: 'reconcile list' });
    expect(failures[0]!.reason).toContain('SignatureDoesNotMatch');
  });
});

async function freshReport(): Promise<ReconcileReport> {
  const { newReport } = await import('../../../src/backup/reconcile/run');
  return newReport(Date.now());
}
