/**
 * Applies one change to the tenant's bucket. Every step is idempotent (same keys, same bytes), so a change
 * applied twice leaves the bucket as once; the library sends a file's changes one at a time in order, so an
 * older change never lands after a newer one.
 *
 * Moves and renames remove the copy at the old path whatever the deletes policy: the bytes are still in the
 * bucket, at the new path and under versions/. Only deletions in the library follow the policy.
 */
import { blobKey } from '../library/store/blobs';
import { mediaOf } from '../storage/media';
import type { Env } from '../env';
import type { BackupBucket } from './bucket';
import { currentKey, recordKey, under, versionKey, versionRecordKey, versionsFolder } from './keys';
import type { BackupChange } from './message';
import type { DeletePolicy } from './settings';

export interface MirrorTarget {
  bucket: BackupBucket;
  prefix: string;
  deletes: DeletePolicy;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

export async function mirrorChange(env: Env, tenant: string, target: MirrorTarget, change: BackupChange): Promise<void> {
  switch (change.op) {
    case 'put': {
      const version = change.version!;
      await putBytes(env, tenant, target, versionKey(target.prefix, change.fileId, version.id), change);
      await target.bucket.put(versionRecordKey(target.prefix, change.fileId, version.id), json(version), 'application/json');
      if (version.id === change.file!.version.id) await writeCurrent(env, tenant, target, change, true);
      return;
    }
    case 'update':
      return writeCurrent(env, tenant, target, change, change.versionId !== change.prevVersionId || change.path !== change.prevPath);
    case 'delete':
      return deleteFile(target, change);
    case 'version-delete':
      if (target.deletes === 'keep') return;
      await target.bucket.delete(versionKey(target.prefix, change.fileId, change.versionId!));
      await target.bucket.delete(versionRecordKey(target.prefix, change.fileId, change.versionId!));
      return;
    case 'remove':
      // Queued only when the tenant mirrors deletes (src/backup/reconcile/repair.ts).
      return target.bucket.delete(under(target.prefix, change.key!));
  }
}

/** The file's current bytes at its path (when they changed or moved), its record, and no copy at its old path. */
async function writeCurrent(env: Env, tenant: string, target: MirrorTarget, change: BackupChange, bytesChanged: boolean): Promise<void> {
  const file = change.file!;
  if (bytesChanged) await putBytes(env, tenant, target, currentKey(target.prefix, file.path), change);
  await target.bucket.put(recordKey(target.prefix, file.path), json(file), 'application/json');
  if (change.prevPath !== null && change.prevPath !== file.path) {
    await target.bucket.delete(currentKey(target.prefix, change.prevPath));
    await target.bucket.delete(recordKey(target.prefix, change.prevPath));
  }
}

async function deleteFile(target: MirrorTarget, change: BackupChange): Promise<void> {
  const { bucket, prefix } = target;
  if (target.deletes === 'keep') {
    // Nothing goes; the record says the file was deleted, and when.
    const stored = await bucket.getText(recordKey(prefix, change.path));
    const record = stored ? (JSON.parse(stored) as Record<string, unknown>) : { id: change.fileId, path: change.path };
    if (record.id !== change.fileId) return;
    await bucket.put(recordKey(prefix, change.path), json({ ...record, deletedAt: change.at }), 'application/json');
    return;
  }
  await bucket.delete(currentKey(prefix, change.path));
  await bucket.delete(recordKey(prefix, change.path));
  for (const key of await bucket.list(versionsFolder(prefix, change.fileId))) await bucket.delete(key);
}

/**
 * A version's bytes from the tenant's media bucket. Bytes already gone (a change recorded before backup kept
 * blobs from the sweep) are skipped: a later change of the same file deletes what they would have been.
 */
async function putBytes(env: Env, tenant: string, target: MirrorTarget, key: string, change: BackupChange): Promise<void> {
  const blob = change.op === 'put' ? change.version!.blob : change.file!.version.blob;
  const object = await mediaOf(env, tenant).get(blobKey(tenant, blob));
  if (!object) return;
  const mime = (change.op === 'put' ? change.version! : change.file!.version).media.mime;
  await target.bucket.put(key, object.body, mime || 'application/octet-stream', object.size);
}
