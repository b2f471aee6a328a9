/**
 * The ledger of stored bytes. Bytes go to R2 under a content hash *before* any record points at them, so a
 * record never exists without its bytes; bytes without a record (a crash between the two writes, a deleted
 * version) are orphans that the sweep removes. A reservation keeps a blob alive while an upload is between
 * its R2 write and its commit; a blob being deleted (reserved_until = DELETING) cannot be reserved until
 * its deletion has finished, so an upload can never have its fresh bytes deleted under it.
 */
import { HttpError } from '../../http/errors';
import { first, rows } from './sql';

export const RESERVATION_MS = 15 * 60_000;
const DELETING = -1;

export const blobKey = (tenantId: string, hash: string) => `library/${tenantId}/${hash}`;

export class BlobLedger {
  constructor(private readonly sql: SqlStorage) {}

  /**
   * Reserves `hash` for an upload about to write it. `present` says the bytes are already stored (another
   * version uses them), so the upload may skip its R2 write.
   */
  reserve(hash: string, size: number, now: number): { present: boolean } {
    const row = first<{ reserved_until: number }>(this.sql, 'SELECT reserved_until FROM blobs WHERE hash = ?', hash);
    if (row?.reserved_until === DELETING) {
      throw new HttpError(503, 'The same bytes are being deleted right now', 'Retry in a moment.', { 'Retry-After': '1' });
    }
    if (row) {
      this.sql.exec('UPDATE blobs SET reserved_until = MAX(reserved_until, ?) WHERE hash = ?', now + RESERVATION_MS, hash);
    } else {
      this.sql.exec('INSERT INTO blobs (hash, size, reserved_until, created_at) VALUES (?, ?, ?, ?)', hash, size, now + RESERVATION_MS, now);
    }
    return { present: this.isReferenced(hash) };
  }

  /** An upload that will not commit gives its reservation back, so the next sweep can take the bytes. */
  release(hash: string, now: number): void {
    this.sql.exec('UPDATE blobs SET reserved_until = ? WHERE hash = ? AND reserved_until > ?', now - 1, hash, now);
  }

  /** Whether a commit may point a record at `hash`: it is reserved and the reservation has not run out. */
  assertCommittable(hash: string, now: number): void {
    const row = first<{ reserved_until: number }>(this.sql, 'SELECT reserved_until FROM blobs WHERE hash = ?', hash);
    if (!row || (row.reserved_until < now && !this.isReferenced(hash))) {
      throw new HttpError(503, 'The upload took too long and its bytes were released', 'Upload the file again.', { 'Retry-After': '1' });
    }
  }

  isReferenced(hash: string): boolean {
    return first(this.sql, 'SELECT 1 AS x FROM versions WHERE blob = ? LIMIT 1', hash) !== undefined;
  }

  /**
   * Blobs nobody references and nobody has reserved: their bytes can go. Marks them as being deleted. A change
   * waiting to be backed up keeps its bytes too, so a file deleted while the tenant's bucket is down still
   * reaches the bucket first (src/backup/).
   */
  claimOrphans(now: number, limit = 100): string[] {
    const orphans = rows<{ hash: string }>(
      this.sql,
      `SELECT hash FROM blobs b WHERE reserved_until >= 0 AND reserved_until < ?
         AND NOT EXISTS (SELECT 1 FROM versions v WHERE v.blob = b.hash)
         AND NOT EXISTS (SELECT 1 FROM backup_outbox o WHERE o.blob = b.hash) LIMIT ?`,
      now,
      limit,
    ).map((r) => r.hash);
    for (const hash of orphans) this.sql.exec('UPDATE blobs SET reserved_until = ? WHERE hash = ?', DELETING, hash);
    return orphans;
  }

  /** The bytes of `hash` are gone from R2: forget it. */
  forget(hash: string): void {
    this.sql.exec('DELETE FROM blobs WHERE hash = ? AND reserved_until = ?', hash, DELETING);
  }

  /** A deletion that failed: the blob goes back to being an orphan, for the next sweep. */
  unclaim(hash: string): void {
    this.sql.exec('UPDATE blobs SET reserved_until = 0 WHERE hash = ? AND reserved_until = ?', hash, DELETING);
  }

  /** The soonest time a reservation runs out (when the next sweep may find orphans), or null. */
  nextExpiry(now: number): number | null {
    const row = first<{ at: number | null }>(this.sql, 'SELECT MIN(reserved_until) AS at FROM blobs WHERE reserved_until >= ?', now);
    return row?.at ?? null;
  }

  /** Bytes stored, each blob counted once however many versions share it. */
  storedBytes(): number {
    return Number(first<{ total: number | null }>(this.sql, 'SELECT SUM(size) AS total FROM blobs WHERE reserved_until >= 0')?.total ?? 0);
  }
}
