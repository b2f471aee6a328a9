/**
 * One ledger of exports per tenant: each export, its parts and their progress, in the object's SQLite. The
 * queue consumer (src/exports/consumer.ts) asks it before and tells it after every step, so a retried message
 * redoes only the part that failed, and a duplicate finds its part done. Its alarm deletes the archives of
 * exports past their retention.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import { exportPrefix } from '../exports/keys';
import type { ExportRecord, ExportStatus, PartBounds, PartPlan, PartRecord } from '../exports/types';
import { mediaOf } from '../storage/media';
import { deletePrefix } from '../storage/prefix';

/** How long an export's archives are kept after it ends. */
export const EXPORT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
/**
 * An export that has not moved for this long lost its messages (local queues forget them on a restart; a
 * deleted queue does too): it stops blocking new exports and is marked failed.
 */
export const STALLED_MS = 60 * 60 * 1000;

type Row = Record<string, SqlStorageValue>;

export class Exports extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.migrate();
  }

  private migrate(): void {
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS exports (
        id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, status TEXT NOT NULL, bounds TEXT NOT NULL, created_at TEXT NOT NULL,
        finished_at TEXT, expires_at TEXT, error TEXT, touched_at INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS parts (
        export_id TEXT NOT NULL, n INTEGER NOT NULL, after_id TEXT NOT NULL, last_id TEXT, files INTEGER NOT NULL,
        bytes INTEGER NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, size INTEGER, sha256 TEXT,
        error TEXT, PRIMARY KEY (export_id, n));
    `);
  }

  /** A new export, queued; null while another of the tenant's exports is still queued or running. */
  async create(id: string, tenantId: string, bounds: PartBounds): Promise<ExportRecord | null> {
    const now = Date.now();
    for (const stalled of this.sql.exec("SELECT id FROM exports WHERE status IN ('queued', 'running') AND touched_at < ?", now - STALLED_MS).toArray()) {
      await this.end(stalled.id as string, 'failed', 'no progress for an hour: the job was lost');
    }
    const busy = this.sql.exec("SELECT id FROM exports WHERE status IN ('queued', 'running') LIMIT 1").toArray()[0];
    if (busy) return null;
    this.sql.exec(
      'INSERT INTO exports (id, tenant_id, status, bounds, created_at, touched_at) VALUES (?, ?, ?, ?, ?, ?)',
      id, tenantId, 'queued', JSON.stringify(bounds), new Date(now).toISOString(), now,
    );
    try {
      await this.env.EXPORTS.send({ kind: 'plan', tenantId, exportId: id });
    } catch (error) {
      this.sql.exec('DELETE FROM exports WHERE id = ?', id);
      throw error;
    }
    return this.get(id);
  }

  get(id: string): ExportRecord | null {
    const row = this.sql.exec('SELECT * FROM exports WHERE id = ?', id).toArray()[0];
    return row ? this.recordOf(row) : null;
  }

  /** The newest first. */
  list(limit: number): ExportRecord[] {
    return this.sql.exec('SELECT * FROM exports ORDER BY created_at DESC LIMIT ?', limit).toArray().map((row) => this.recordOf(row));
  }

  /**
   * The plan step: the export starts running with these parts. A retried plan keeps the parts it made before.
   * Answers the parts still to write, or null when the export is no longer waiting for a plan.
   */
  plan(id: string, plans: PartPlan[]): number[] | null {
    const record = this.get(id);
    if (!record || (record.status !== 'queued' && record.status !== 'running')) return null;
    if (record.parts.length === 0) {
      this.ctx.storage.transactionSync(() => {
        plans.forEach((p, i) =>
          this.sql.exec(
            'INSERT INTO parts (export_id, n, after_id, last_id, files, bytes, status) VALUES (?, ?, ?, ?, ?, ?, ?)',
            id, i + 1, p.afterId, p.lastId, p.files, p.bytes, 'pending',
          ),
        );
        this.setStatus(id, 'running');
      });
    }
    return this.get(id)!.parts.filter((p) => p.status !== 'done').map((p) => p.n);
  }

  /** Attempt `attempt` of a part begins; null when there is nothing to do (done already, or the export ended). */
  startPart(id: string, n: number, attempt: number): { record: ExportRecord; part: PartRecord } | null {
    const record = this.get(id);
    const part = record?.parts.find((p) => p.n === n);
    if (!record || !part || record.status !== 'running' || part.status === 'done') return null;
    this.sql.exec("UPDATE parts SET status = 'running', attempts = ? WHERE export_id = ? AND n = ?", attempt, id, n);
    this.touch(id);
    return { record, part: { ...part, status: 'running', attempts: attempt } };
  }

  /** A part is written. Answers whether it was the last one still missing (the caller then queues the finish). */
  partDone(id: string, n: number, size: number, sha256: string): boolean {
    const wasComplete = this.complete(id);
    this.sql.exec("UPDATE parts SET status = 'done', size = ?, sha256 = ?, error = NULL WHERE export_id = ? AND n = ?", size, sha256, id, n);
    this.touch(id);
    return !wasComplete && this.complete(id);
  }

  /** An attempt failed and will be retried: the reason is kept for the status. */
  partRetrying(id: string, n: number, error: string): void {
    this.sql.exec("UPDATE parts SET status = 'pending', error = ? WHERE export_id = ? AND n = ?", error, id, n);
    this.touch(id);
  }

  /** Every part is written and the manifest is in place. */
  async finish(id: string): Promise<ExportRecord | null> {
    const record = this.get(id);
    if (!record || record.status !== 'running' || !this.complete(id)) return record;
    await this.end(id, 'done', null);
    return this.get(id);
  }

  /** The job gave up (the queue's retries ran out): what was written is deleted at the retention's end. */
  async fail(id: string, part: number | null, error: string): Promise<void> {
    const record = this.get(id);
    if (!record || (record.status !== 'queued' && record.status !== 'running')) return;
    if (part !== null) this.sql.exec("UPDATE parts SET status = 'failed', error = ? WHERE export_id = ? AND n = ?", error, id, part);
    await this.end(id, 'failed', part === null ? error : `part ${part}: ${error}`);
  }

  override async alarm(): Promise<void> {
    const now = new Date().toISOString();
    const due = this.sql.exec("SELECT id, tenant_id FROM exports WHERE status IN ('done', 'failed') AND expires_at <= ?", now).toArray();
    for (const row of due) {
      const tenantId = row.tenant_id as string;
      await deletePrefix(mediaOf(this.env, tenantId), exportPrefix(tenantId, row.id as string));
      this.setStatus(row.id as string, 'expired');
    }
    await this.scheduleExpiry();
  }

  /** The tenant is gone (its archives are deleted with its bucket prefix). */
  async erase(): Promise<void> {
    await this.ctx.storage.deleteAll();
    this.migrate();
  }

  private complete(id: string): boolean {
    const row = this.sql.exec("SELECT count(*) AS total, sum(status = 'done') AS done FROM parts WHERE export_id = ?", id).one();
    return Number(row.total) > 0 && Number(row.total) === Number(row.done);
  }

  private async end(id: string, status: ExportStatus, error: string | null): Promise<void> {
    const now = Date.now();
    this.sql.exec(
      'UPDATE exports SET status = ?, error = ?, finished_at = ?, expires_at = ? WHERE id = ?',
      status, error, new Date(now).toISOString(), new Date(now + EXPORT_RETENTION_MS).toISOString(), id,
    );
    await this.scheduleExpiry();
  }

  private setStatus(id: string, status: ExportStatus): void {
    this.sql.exec('UPDATE exports SET status = ?, touched_at = ? WHERE id = ?', status, Date.now(), id);
  }

  private touch(id: string): void {
    this.sql.exec('UPDATE exports SET touched_at = ? WHERE id = ?', Date.now(), id);
  }

  /** The alarm wakes at the next export's expiry. */
  private async scheduleExpiry(): Promise<void> {
    const next = this.sql.exec("SELECT min(expires_at) AS at FROM exports WHERE status IN ('done', 'failed')").one().at as string | null;
    if (next) await this.ctx.storage.setAlarm(Date.parse(next));
  }

  private recordOf(row: Row): ExportRecord {
    const id = row.id as string;
    const parts = this.sql.exec('SELECT * FROM parts WHERE export_id = ? ORDER BY n', id).toArray().map(
      (p): PartRecord => ({
        n: Number(p.n),
        afterId: p.after_id as string,
        lastId: (p.last_id as string | null) ?? null,
        files: Number(p.files),
        bytes: Number(p.bytes),
        status: p.status as PartRecord['status'],
        attempts: Number(p.attempts),
        size: p.size === null ? null : Number(p.size),
        sha256: (p.sha256 as string | null) ?? null,
        error: (p.error as string | null) ?? null,
      }),
    );
    return {
      id,
      tenantId: row.tenant_id as string,
      status: row.status as ExportStatus,
      bounds: JSON.parse(row.bounds as string) as PartBounds,
      createdAt: row.created_at as string,
      finishedAt: (row.finished_at as string | null) ?? null,
      expiresAt: (row.expires_at as string | null) ?? null,
      error: (row.error as string | null) ?? null,
      parts,
    };
  }
}
