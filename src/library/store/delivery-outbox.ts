/** The `delivery_outbox` table: paths waiting to be published, filled by the schema's triggers. */
import { first, JSON_LIST, rows } from './sql';

export interface QueuedPath {
  seq: number;
  path: string;
}

export class DeliveryOutbox {
  constructor(private readonly sql: SqlStorage) {}

  /** The newest row's sequence number (0 when empty): rows queued after this moment come after it. */
  lastSeq(): number {
    return Number(first<{ seq: number | null }>(this.sql, 'SELECT MAX(seq) AS seq FROM delivery_outbox')?.seq ?? 0);
  }

  isEmpty(): boolean {
    return first(this.sql, 'SELECT 1 AS one FROM delivery_outbox LIMIT 1') === undefined;
  }

  /** The oldest rows after `afterSeq`. */
  oldest(afterSeq: number, limit: number): QueuedPath[] {
    return rows<{ seq: number; path: string }>(
      this.sql,
      'SELECT seq, path FROM delivery_outbox WHERE seq > ? ORDER BY seq LIMIT ?',
      afterSeq,
      limit,
    );
  }

  /** Every path the library may have a published key for: its files' and the ones still queued. */
  everyPath(): string[] {
    return rows<{ path: string }>(this.sql, 'SELECT path FROM files UNION SELECT path FROM delivery_outbox').map((row) => row.path);
  }

  /** Queues paths no trigger sees (keys of a library that is gone). */
  queue(paths: string[]): void {
    this.sql.exec('INSERT INTO delivery_outbox (path) SELECT value FROM json_each(?)', JSON.stringify(paths));
  }

  /**
   * Forgets the rows of `paths` up to `throughSeq`: their current record is published. Rows queued since stay,
   * for the publication after this one.
   */
  published(paths: string[], throughSeq: number): void {
    if (paths.length === 0) return;
    this.sql.exec(`DELETE FROM delivery_outbox WHERE seq <= ? AND path IN ${JSON_LIST}`, throughSeq, JSON.stringify(paths));
  }
}
