/**
 * What one library change puts on the backup queue. The first fields are those of an R2 event notification
 * (`account`, `action`, `bucket`, `object`, `eventTime`), so a consumer written for R2's notifications reads it,
 * and production could switch to real notifications; the rest is what mirroring needs and R2 cannot know: the
 * tenant, the file and version, the library operation and its sequence number.
 *
 * The message is small on purpose (a queue message may be at most 128 KB): the file record a sidecar is made of
 * stays in the library's outbox row, and the consumer reads it when it claims the message.
 */
import type { FileRecord, VersionRecord } from '../library/records';

/**
 * - `put`: a version's bytes arrived (upload, new version, copy, backfill); `current` in the row says whether it
 *   is also the file's current version.
 * - `update`: the file record changed (details, tags, publish, move, rename, version restore).
 * - `delete`: the file and all its versions were deleted.
 * - `version-delete`: one older version was deleted.
 * - `remove`: reconcile found an object the library does not account for (src/backup/reconcile/).
 */
export type BackupOp = 'put' | 'update' | 'delete' | 'version-delete' | 'remove';

export interface BackupMessage {
  /** R2's fields. `account` is the tenant; `bucket` the media bucket; `object.key` the R2 key of the bytes. */
  account: string;
  action: 'PutObject' | 'DeleteObject';
  bucket: string;
  /** `eTag` is the blob's SHA-256 (the library stores bytes under their hash), not R2's MD5. */
  object: { key: string; size?: number; eTag?: string };
  eventTime: string;
  /** edgepix's fields. */
  tenant: string;
  fileId: string;
  versionId: string | null;
  op: BackupOp;
  /** The change's place in the tenant's backup outbox: per file (and per path), changes apply in this order. */
  seq: number;
}

/** What an outbox row holds beside the message: everything the mirror writes. */
export interface BackupChange {
  op: BackupOp;
  fileId: string;
  versionId: string | null;
  /** The file's path after the change (for a delete: the path it had). */
  path: string;
  /** The path and current version the file had before the change, as far as backup has seen it (null: unknown). */
  prevPath: string | null;
  prevVersionId: string | null;
  /** The bytes the change needs (the library keeps them from the orphan sweep until the change is mirrored). */
  blob: string | null;
  size: number | null;
  /** The file record after the change (absent for deletes). */
  file?: FileRecord;
  /** The version a `put` brings. */
  version?: VersionRecord;
  /** When the library committed the change (ms). */
  at: number;
  /** A `remove`'s key, relative to the prefix. */
  key?: string;
}

/** The name of the media bucket as the queue messages name it (wrangler.toml's bucket_name). */
export const MEDIA_BUCKET_NAME = 'edgepix-media';

export function backupMessage(tenant: string, seq: number, change: BackupChange, objectKey: string | null): BackupMessage {
  const deleting = change.op === 'delete' || change.op === 'version-delete' || change.op === 'remove';
  return {
    account: tenant,
    action: deleting ? 'DeleteObject' : 'PutObject',
    bucket: MEDIA_BUCKET_NAME,
    object: {
      key: objectKey ?? '',
      ...(change.size !== null ? { size: change.size } : {}),
      ...(change.blob ? { eTag: change.blob } : {}),
    },
    eventTime: new Date(change.at).toISOString(),
    tenant,
    fileId: change.fileId,
    versionId: change.versionId,
    op: change.op,
    seq,
  };
}
