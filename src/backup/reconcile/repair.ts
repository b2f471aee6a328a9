/**
 * Reconcile's repairs, queued inside the library's transaction into the backup outbox, as live changes are:
 * a version written again is a `put` (its bytes and record, and the file's current copy when it is the current
 * version), an object the library does not account for is a `remove`. Each is checked again against the
 * library as it is now, and skipped while a change of the same file or path is still on its way (that change
 * brings the bucket up to date, and a repair behind it would only repeat it).
 */
import type { BackupStore } from '../../library/store/backup';
import type { FileStore } from '../../library/store/files';
import { first, rows } from '../../library/store/sql';
import { put } from '../changes';
import type { ReconcileReport, VersionRef } from './run';

export const RECONCILE_STATE_KEY = 'reconcile';

/** What a relative key stands for: a file's path (files/, records/), a version (versions/), or nothing we write. */
type KeyOwner = { path: string } | { fileId: string; versionId: string } | null;

function ownerOf(key: string): KeyOwner {
  if (key.startsWith('files/')) return { path: `/${key.slice('files/'.length)}` };
  const record = /^records\/(.+)\.json$/.exec(key);
  if (record) return { path: `/${record[1]}` };
  const version = /^versions\/([0-9a-f]{24})\/([0-9a-f]{24})(?:\.json)?$/.exec(key);
  if (version) return { fileId: version[1]!, versionId: version[2]! };
  return null;
}

export function queueRepairs(
  sql: SqlStorage,
  files: FileStore,
  backup: BackupStore,
  versions: VersionRef[],
  removals: string[],
  report: ReconcileReport,
  now: number,
): ReconcileReport {
  // Judged before this page queues anything, so two repairs of one file or path do not hold each other back.
  const busyFiles = new Set(rows<{ file_id: string }>(sql, 'SELECT DISTINCT file_id FROM backup_outbox').map((r) => r.file_id));
  const busyPath = (path: string) => first(sql, 'SELECT 1 AS x FROM backup_outbox WHERE path = ?1 OR prev_path = ?1 LIMIT 1', path) !== undefined;
  const removable = (backup.settings()?.deletes === 'mirror' ? removals : []).filter((key) => {
    const owner = ownerOf(key);
    if (owner === null) return true;
    if ('path' in owner) return !files.byPath(owner.path) && !busyPath(owner.path);
    return !files.version(owner.fileId, owner.versionId) && !busyFiles.has(owner.fileId);
  });
  let repaired = 0;
  for (const ref of versions) {
    if (busyFiles.has(ref.fileId)) continue;
    const file = files.byId(ref.fileId);
    const version = file && files.version(ref.fileId, ref.versionId);
    if (!file || !version) continue;
    backup.record(put(file, version, now));
    repaired++;
  }
  for (const key of removable) {
    const owner = ownerOf(key);
    // A removal of a path names no file: its key stands in for one, so removals do not wait for each other.
    const change = owner !== null && 'fileId' in owner ? { fileId: owner.fileId, path: key } : { fileId: key, path: owner?.path ?? key };
    backup.record({ op: 'remove', ...change, versionId: null, blob: null, size: null, key, at: now });
  }
  const removed = removable.length;
  const saved = { ...report, repaired: report.repaired + repaired, removed: report.removed + removed };
  backup.setState(RECONCILE_STATE_KEY, JSON.stringify(saved));
  return saved;
}
