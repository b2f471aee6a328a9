/**
 * A burst of 1 000 uploads with backup on, through the real queue and consumer into s3rver
 * (test/backup-setup.ts): every file arrives, each object is written once, and nothing is left waiting. The
 * files go straight into the library (the upload API's commit, without its HTTP form parsing), ten at a time:
 * concurrent requests from one pool test trip workerd's cross-request I/O check, and one at a time through the
 * API takes minutes in the pool.
 */
import { describe, expect, it } from 'vitest';
import { BackupBucket } from '../../../src/backup/bucket';
import { callApi } from '../api-helpers';
import { backupBody, backupStatus, bucket, mirrored, objectBytes, putBackup, writesUnder } from '../backup-helpers';
import { putOriginal } from '../helpers';
import { fileAt, newLibraryTenant } from '../library-helpers';

const UPLOADS = 1000;
/** Uploads in flight at once. */
const CONCURRENCY = 10;

const owner = new BackupBucket(
  { endpoint: bucket.url, region: 'us-east-1', bucket: bucket.bucket, forcePathStyle: true },
  { accessKeyId: bucket.accessKey, secretAccessKey: bucket.secretKey },
  { ALLOW_PRIVATE_ORIGINS: 'true' },
);

describe('backup under a burst', () => {
  it(`mirrors ${UPLOADS} uploads made at once, each object written once, none left pending`, { timeout: 420_000 }, async () => {
    const t = await newLibraryTenant();
    const { prefix } = (await putBackup(t, backupBody({ deletes: 'mirror' }))) as { prefix: string };
    const ids: string[] = new Array(UPLOADS);
    let next = 0;
    const uploader = async () => {
      for (let i = next++; i < UPLOADS; i = next++) {
        const fileName = `f${String(i).padStart(4, '0')}.txt`;
        const path = `burst/${i % 10}/${fileName}`;
        await putOriginal(t.tenantId, path, new TextEncoder().encode(`file ${i}`), 'text/plain');
        ids[i] = (await fileAt(t.tenantId, `/${path}`))!.fileId;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, uploader));
    expect(new Set(ids).size).toBe(UPLOADS);

    const status = await mirrored(t, 300_000);
    expect(status).toMatchObject({ pending: 0, failures: [] });

    // Four objects an upload: current bytes and record, the version's bytes and record.
    const keys = (await owner.list(`${prefix}/`)).map((k) => k.slice(prefix.length + 1));
    expect(keys).toHaveLength(UPLOADS * 4);
    for (const i of [0, 7, 500, UPLOADS - 1]) {
      const path = `burst/${i % 10}/f${String(i).padStart(4, '0')}.txt`;
      expect(keys).toContain(`files/${path}`);
      expect(keys).toContain(`records/${path}.json`);
      expect(new TextDecoder().decode((await objectBytes(`${prefix}/files/${path}`))!)).toBe(`file ${i}`);
    }
    // Each key written exactly once: no change mirrored twice.
    const writes = await writesUnder(prefix);
    expect(writes).toHaveLength(UPLOADS * 4);
    expect(new Set(writes).size).toBe(writes.length);
    expect(writes.every((w) => w.startsWith('PUT '))).toBe(true);

    // Reconcile agrees: nothing to repair across the whole bucket.
    const reconcile = await callApi(t.auth, 'POST', '/v1/accounts/backup/reconcile');
    expect(await reconcile.json()).toMatchObject({ status: 'done', keysCompared: UPLOADS * 4, missing: 0, stale: 0, orphaned: 0 });
    expect((await backupStatus(t)).pending).toBe(0);
  });
});
