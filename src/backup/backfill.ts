/**
 * Backfill: queues every version of every file the library holds, in pages, so a bucket set up after files
 * were uploaded gets them too. Files go in id order and the progress (the last id queued) is stored after each
 * page, so a backfill interrupted by a restart continues where it was. Its changes join the same outbox as live
 * ones, in the same order, so running it while files change loses nothing and never overwrites a newer state.
 */
import type { FileStore } from '../library/store/files';
import type { BackfillProgress, BackupStore } from '../library/store/backup';
import { rows } from '../library/store/sql';
import { put } from './changes';

/** Files per page: a page is one transaction of the library. */
export const BACKFILL_PAGE = 100;

export function startBackfill(sql: SqlStorage, backup: BackupStore, now: number): BackfillProgress {
  const running = backup.backfill();
  if (running?.status === 'running') return running;
  const total = Number(rows<{ n: number }>(sql, 'SELECT COUNT(*) AS n FROM files')[0]?.n ?? 0);
  const progress: BackfillProgress = {
    status: 'running',
    cursor: '',
    filesTotal: total,
    filesQueued: 0,
    versionsQueued: 0,
    startedAt: now,
    finishedAt: null,
  };
  backup.saveBackfill(progress);
  return progress;
}

/** Queues the next page; answers whether more is left. Call inside a transaction. */
export function backfillPage(sql: SqlStorage, files: FileStore, backup: BackupStore, now: number): boolean {
  const progress = backup.backfill();
  if (!progress || progress.status !== 'running') return false;
  const ids = rows<{ id: string }>(sql, 'SELECT id FROM files WHERE id > ? ORDER BY id LIMIT ?', progress.cursor, BACKFILL_PAGE).map((r) => r.id);
  for (const file of files.byIds(ids)) {
    // Oldest first and the current one last, so the current path ends with the current version's bytes.
    const versions = files.versions(file.id).filter((v) => v.id !== file.version.id);
    for (const version of [...versions, file.version]) backup.record(put(file, version, now));
    progress.versionsQueued += versions.length + 1;
  }
  progress.filesQueued += ids.length;
  if (ids.length > 0) progress.cursor = ids[ids.length - 1]!;
  if (ids.length < BACKFILL_PAGE) {
    progress.status = 'done';
    progress.finishedAt = now;
  }
  backup.saveBackfill(progress);
  return progress.status === 'running';
}
