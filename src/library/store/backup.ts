/**
 * The backup tables of the library's SQLite (schema.ts): settings, the outbox of changes to mirror, each file's
 * last recorded path and version, failures and counters. The outbox is written in the change's own transaction,
 * so a committed change is always mirrored eventually and a failed one never is.
 *
 * Order: a row may go to the queue only when no earlier row is left for its file or for a path it touches (its
 * path and its previous path), so per file, and per path across files (a file deleted and another uploaded at
 * its path), changes reach the bucket in the order they were made. One row per file is in flight at a time.
 */
import type { BackupChange, BackupOp } from '../../backup/message';
import type { StoredBackup } from '../../backup/settings';
import { first, JSON_LIST, rows } from './sql';

/** The most failures the status keeps (the newest). */
export const MAX_FAILURES = 20;
/** A row on the queue this long without an answer is sent again (a local queue loses messages on restart). */
export const RESEND_AFTER_MS = 10 * 60_000;

export interface QueuedChange {
  seq: number;
  change: BackupChange;
}

export interface BackupFailure {
  at: number;
  seq: number | null;
  fileId: string | null;
  op: BackupOp | null;
  /** Which step failed: `put`, `delete`, `list`, `read`, `credentials`, `queue`, … */
  step: string;
  reason: string;
}

export interface BackfillProgress {
  status: 'running' | 'done';
  /** The last file id queued (files go in id order, so a resumed backfill continues after it). */
  cursor: string;
  filesTotal: number;
  filesQueued: number;
  versionsQueued: number;
  startedAt: number;
  finishedAt: number | null;
}

export class BackupStore {
  constructor(private readonly sql: SqlStorage) {}

  // ----- settings -----

  settings(): StoredBackup | null {
    const row = first<{ config: string }>(this.sql, 'SELECT config FROM backup_settings WHERE id = 1');
    return row ? (JSON.parse(row.config) as StoredBackup) : null;
  }

  enabled(): boolean {
    return first(this.sql, 'SELECT 1 AS x FROM backup_settings WHERE id = 1') !== undefined;
  }

  saveSettings(config: StoredBackup): void {
    this.sql.exec('INSERT OR REPLACE INTO backup_settings (id, config) VALUES (1, ?)', JSON.stringify(config));
  }

  /** Turns backup off: settings, queued changes, what it knew of files, failures and progress all go. */
  clear(): void {
    for (const table of ['backup_settings', 'backup_outbox', 'backup_files', 'backup_failures', 'backup_state']) {
      this.sql.exec(`DELETE FROM ${table}`);
    }
  }

  // ----- recording changes (inside the change's transaction) -----

  /** The path and current version backup last recorded for a file. */
  known(fileId: string): { path: string; versionId: string } | undefined {
    const row = first<{ path: string; version_id: string }>(this.sql, 'SELECT path, version_id FROM backup_files WHERE file_id = ?', fileId);
    return row && { path: row.path, versionId: row.version_id };
  }

  /** Queues a change; `prevPath`/`prevVersionId` are filled from what backup last recorded of the file. */
  record(change: Omit<BackupChange, 'prevPath' | 'prevVersionId'>): number {
    const before = this.known(change.fileId);
    const full: BackupChange = { ...change, prevPath: before?.path ?? null, prevVersionId: before?.versionId ?? null };
    if (change.op === 'delete') {
      this.sql.exec('DELETE FROM backup_files WHERE file_id = ?', change.fileId);
    } else if (change.file) {
      this.sql.exec(
        'INSERT OR REPLACE INTO backup_files (file_id, path, version_id) VALUES (?, ?, ?)',
        change.fileId,
        change.file.path,
        change.file.version.id,
      );
    }
    const row = first<{ seq: number }>(
      this.sql,
      `INSERT INTO backup_outbox (file_id, path, prev_path, blob, change, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq`,
      full.fileId,
      full.path,
      full.prevPath,
      full.blob,
      JSON.stringify(full),
      full.at,
    );
    return Number(row!.seq);
  }

  // ----- sending -----

  /**
   * Rows that may go to the queue now, oldest first: not on the queue (or sent so long ago the message may be
   * lost), not parked after a failure, and with no earlier row of the same file or touching the same paths.
   */
  ready(now: number, limit: number): QueuedChange[] {
    const earlier = (where: string) => `NOT EXISTS (SELECT 1 FROM backup_outbox e WHERE ${where} AND e.seq < o.seq)`;
    return rows<{ seq: number; change: string }>(
      this.sql,
      // Candidates through the sent_at index (unsent and due, or sent long ago), not a scan of rows in flight.
      `SELECT seq, change FROM backup_outbox o
        WHERE o.seq IN (SELECT seq FROM backup_outbox WHERE sent_at IS NULL AND attempt_after <= ?
                        UNION ALL SELECT seq FROM backup_outbox WHERE sent_at <= ?)
          AND ${earlier('e.file_id = o.file_id')}
          AND ${earlier('e.path = o.path')} AND ${earlier('e.path = o.prev_path')}
          AND ${earlier('e.prev_path = o.path')} AND ${earlier('e.prev_path = o.prev_path')}
        ORDER BY seq LIMIT ?`,
      now,
      now - RESEND_AFTER_MS,
      limit,
    ).map((r) => ({ seq: Number(r.seq), change: JSON.parse(r.change) as BackupChange }));
  }

  markSent(seqs: number[], now: number): void {
    if (seqs.length > 0) this.sql.exec(`UPDATE backup_outbox SET sent_at = ? WHERE seq IN ${JSON_LIST}`, now, JSON.stringify(seqs));
  }

  /** A send that failed: the rows wait for the next try. */
  unsent(seqs: number[]): void {
    if (seqs.length > 0) this.sql.exec(`UPDATE backup_outbox SET sent_at = NULL WHERE seq IN ${JSON_LIST}`, JSON.stringify(seqs));
  }

  /**
   * When the object should look at the outbox again: a parked row's time, or a sent row's resend time; null:
   * never. Rows waiting for an earlier one need no wake-up: the earlier one's answer sends them.
   */
  nextWakeAt(now: number): number | null {
    const row = first<{ parked: number | null; sent: number | null }>(
      this.sql,
      `SELECT (SELECT MIN(attempt_after) FROM backup_outbox WHERE sent_at IS NULL AND attempt_after > ?) AS parked,
              (SELECT MIN(sent_at) FROM backup_outbox WHERE sent_at IS NOT NULL) AS sent`,
      now,
    );
    const times = [row?.parked ?? null, row?.sent === null || row?.sent === undefined ? null : Number(row.sent) + RESEND_AFTER_MS];
    const due = times.filter((t): t is number => t !== null);
    return due.length > 0 ? Math.min(...due) : null;
  }

  /** Parked rows may go at once (the settings changed: the reason they failed may be gone). */
  unpark(): void {
    this.sql.exec('UPDATE backup_outbox SET attempt_after = 0 WHERE sent_at IS NULL');
  }

  // ----- the consumer's answers -----

  /** The rows of `seqs` still waiting (a missing one was mirrored already: its message is a redelivery). */
  pending(seqs: number[]): QueuedChange[] {
    return rows<{ seq: number; change: string }>(
      this.sql,
      `SELECT seq, change FROM backup_outbox WHERE seq IN ${JSON_LIST} ORDER BY seq`,
      JSON.stringify(seqs),
    ).map((r) => ({ seq: Number(r.seq), change: JSON.parse(r.change) as BackupChange }));
  }

  /** Mirrored: the rows go; answers whether a failing streak just ended. */
  mirrored(seqs: number[], now: number): boolean {
    if (seqs.length === 0) return false;
    const oldest = first<{ at: number | null }>(
      this.sql,
      `SELECT MAX(created_at) AS at FROM backup_outbox WHERE seq IN ${JSON_LIST}`,
      JSON.stringify(seqs),
    )?.at;
    this.sql.exec(`DELETE FROM backup_outbox WHERE seq IN ${JSON_LIST}`, JSON.stringify(seqs));
    this.setState('last_mirrored_at', String(now));
    if (oldest !== null && oldest !== undefined) this.setState('last_lag_ms', String(Math.max(0, now - Number(oldest))));
    const wasFailing = this.state('failing_since') !== null;
    if (wasFailing) this.sql.exec("DELETE FROM backup_state WHERE key = 'failing_since'");
    return wasFailing;
  }

  /**
   * Records failures; `parkMs` (the dead-letter queue gave up) takes the rows off the queue until then.
   * Answers whether this starts a failing streak (the moment to alert the tenant, once).
   */
  failed(failures: BackupFailure[], now: number, parkMs?: (attempts: number) => number): boolean {
    for (const failure of failures) {
      this.sql.exec(
        'INSERT INTO backup_failures (at, seq, file_id, op, step, reason) VALUES (?, ?, ?, ?, ?, ?)',
        failure.at,
        failure.seq,
        failure.fileId,
        failure.op,
        failure.step,
        failure.reason.slice(0, 500),
      );
      if (parkMs && failure.seq !== null) {
        const row = first<{ attempts: number }>(this.sql, 'SELECT attempts FROM backup_outbox WHERE seq = ?', failure.seq);
        if (row) {
          const attempts = Number(row.attempts) + 1;
          this.sql.exec(
            'UPDATE backup_outbox SET sent_at = NULL, attempts = ?, attempt_after = ? WHERE seq = ?',
            attempts,
            now + parkMs(attempts),
            failure.seq,
          );
        }
      }
    }
    this.sql.exec(
      'DELETE FROM backup_failures WHERE id NOT IN (SELECT id FROM backup_failures ORDER BY id DESC LIMIT ?)',
      MAX_FAILURES,
    );
    if (failures.length === 0 || this.state('failing_since') !== null) return false;
    this.setState('failing_since', String(now));
    return true;
  }

  // ----- status -----

  count(): number {
    return Number(first<{ n: number }>(this.sql, 'SELECT COUNT(*) AS n FROM backup_outbox')?.n ?? 0);
  }

  oldestPendingAt(): number | null {
    const at = first<{ at: number | null }>(this.sql, 'SELECT MIN(created_at) AS at FROM backup_outbox')?.at;
    return at === null || at === undefined ? null : Number(at);
  }

  failures(): BackupFailure[] {
    return rows<{ at: number; seq: number | null; file_id: string | null; op: string | null; step: string; reason: string }>(
      this.sql,
      'SELECT at, seq, file_id, op, step, reason FROM backup_failures ORDER BY id DESC',
    ).map((r) => ({
      at: Number(r.at),
      seq: r.seq === null ? null : Number(r.seq),
      fileId: r.file_id,
      op: r.op as BackupOp | null,
      step: r.step,
      reason: r.reason,
    }));
  }

  state(key: string): string | null {
    return first<{ value: string }>(this.sql, 'SELECT value FROM backup_state WHERE key = ?', key)?.value ?? null;
  }

  setState(key: string, value: string): void {
    this.sql.exec('INSERT OR REPLACE INTO backup_state (key, value) VALUES (?, ?)', key, value);
  }

  backfill(): BackfillProgress | null {
    const raw = this.state('backfill');
    return raw ? (JSON.parse(raw) as BackfillProgress) : null;
  }

  saveBackfill(progress: BackfillProgress): void {
    this.setState('backfill', JSON.stringify(progress));
  }
}
