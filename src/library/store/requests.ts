/** Work the API answers with an id and a status to poll: cache purges and folder bulk jobs. */
import { newId } from '../ids';
import { first } from './sql';

export type RequestStatus = 'Pending' | 'Completed';
export type JobType = 'COPY_FOLDER' | 'MOVE_FOLDER' | 'RENAME_FOLDER';

export interface PurgeRecord {
  id: string;
  url: string;
  status: RequestStatus;
}

export interface JobRecord {
  id: string;
  type: JobType;
  status: RequestStatus;
  purgeRequestId: string | null;
}

export class RequestLedger {
  constructor(private readonly sql: SqlStorage) {}

  newPurge(url: string, now: number): PurgeRecord {
    const id = newId();
    this.sql.exec("INSERT INTO purges (id, url, status, created_at) VALUES (?, ?, 'Pending', ?)", id, url, now);
    return { id, url, status: 'Pending' };
  }

  completePurge(id: string, now: number): void {
    this.sql.exec("UPDATE purges SET status = 'Completed', completed_at = ? WHERE id = ?", now, id);
  }

  purge(id: string): PurgeRecord | undefined {
    const row = first<{ id: string; url: string; status: string }>(this.sql, 'SELECT id, url, status FROM purges WHERE id = ?', id);
    return row && { id: row.id, url: row.url, status: row.status as RequestStatus };
  }

  /**
   * Bulk jobs run inside one transaction, so a job is recorded when it has completed. A rename's cache purge
   * starts after that transaction, and is attached to the job then.
   */
  completedJob(type: JobType, now: number): JobRecord {
    const id = newId();
    this.sql.exec("INSERT INTO jobs (id, type, status, created_at) VALUES (?, ?, 'Completed', ?)", id, type, now);
    return { id, type, status: 'Completed', purgeRequestId: null };
  }

  attachPurge(jobId: string, purgeRequestId: string): void {
    this.sql.exec('UPDATE jobs SET purge_request_id = ? WHERE id = ?', purgeRequestId, jobId);
  }

  job(id: string): JobRecord | undefined {
    const row = first<{ id: string; type: string; status: string; purge_request_id: string | null }>(
      this.sql,
      'SELECT id, type, status, purge_request_id FROM jobs WHERE id = ?',
      id,
    );
    return row && { id: row.id, type: row.type as JobType, status: row.status as RequestStatus, purgeRequestId: row.purge_request_id };
  }
}
