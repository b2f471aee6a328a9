/**
 * Reconcile's repairs, queued inside the library's transaction into the backup outbox, as live changes are:
 * a version written again is a `put` (its bytes and record, and the file's current copy when it is the current
 * version), an object the library does not account for is a `remove`. Each is checked again against the
 * library as it is now, and skipped while a change of the same file or path is still on its way (that change
 * brings the bucket up to date, and a repair behind it would only repeat it).
 */
import type { BackupStore } from '../../library/store/backup';
import type { FileStore } from '../../library/store/files';
import { first } from '../../library/store/sql';
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

function inFlight(sql: SqlStorage, where: string, value: string): boolean {
  return first(sql, `SELECT 1 AS x FROM backup_outbox WHERE ${where} LIMIT 1`, value) !== undefined;
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
  let repaired = 0;
  let removed = 0;
  for (const ref of versions) {
    if (inFlight(sql, 'file_id = ?', ref.fileId)) continue;
    const file = files.byId(ref.fileId);
    const version = file && files.version(ref.fileId, ref.versionId);
    if (!file || !version) continue;
    backup.record(put(file, version, now));
    repaired++;
  }
  const deletes = backup.settings()?.deletes;
  for (const key of deletes === 'mirror' ? removals : []) {
    const owner = ownerOf(key);
    let change: { fileId: string; path: string };
    if (owner === null) {
      change = { fileId: key, path: key };
    } else if ('path' in owner) {
      if (files.byPath(owner.path) || inFlight(sql, 'path = ?1 OR prev_path = ?1', owner.path)) continue;
      // A removal names no file: its key stands in for one, so removals do not wait for each other.
      change = { fileId: key, path: owner.path };
    } else {
      if (files.version(owner.fileId, owner.versionId) || inFlight(sql, 'file_id = ?', owner.fileId)) continue;
      change = { fileId: owner.fileId, path: key };
    }
    backup.record({ op: 'remove', ...change, versionId: null, blob: null, size: null, key, at: now });
    removed++;
  }
  const saved = { ...report, repaired: report.repaired + repaired, removed: report.removed + removed };
  backup.setState(RECONCILE_STATE_KEY, JSON.stringify(saved));
  return saved;
}
