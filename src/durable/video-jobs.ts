/**
 * One ledger of transcoding jobs per tenant. Its single thread is what deduplicates: the first request for a
 * variant key claims the job (and alone copies the source and queues it); every later one, however close,
 * finds the claim. It records each attempt's outcome and tells the tenant's webhook through the media library.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import { libraryOf } from '../library/client';
import { utcDay } from '../library/store/usage';
import { jobEvent } from '../video/jobs/events';
import type { JobMessage, JobRecord, JobSeed, JobStatus } from '../video/jobs/types';

/** A job that failed for good may be asked for again after this long (the cause may have been transient). */
export const ERROR_RETRY_MS = 60 * 60 * 1000;
/** A job stuck in `preparing` (its claimer died while copying the source) is claimable again after this long. */
export const PREPARE_TIMEOUT_MS = 10 * 60 * 1000;

export class VideoJobs extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      'CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, status TEXT NOT NULL, record TEXT NOT NULL, updated_at INTEGER NOT NULL)',
    );
  }

  get(id: string): JobRecord | null {
    const row = this.ctx.storage.sql.exec<{ record: string }>('SELECT record FROM jobs WHERE id = ?', id).toArray()[0];
    return row ? (JSON.parse(row.record) as JobRecord) : null;
  }

  list(status: JobStatus | null, limit: number): JobRecord[] {
    const rows = status
      ? this.ctx.storage.sql.exec<{ record: string }>('SELECT record FROM jobs WHERE status = ? ORDER BY updated_at DESC LIMIT ?', status, limit)
      : this.ctx.storage.sql.exec<{ record: string }>('SELECT record FROM jobs ORDER BY updated_at DESC LIMIT ?', limit);
    return rows.toArray().map((row) => JSON.parse(row.record) as JobRecord);
  }

  /**
   * The job for `seed.id`, claimed for the caller when nobody holds it: `claimed` tells the one caller that must
   * copy the source and call `enqueue`. Synchronous, so concurrent callers are served one after another.
   */
  claim(seed: JobSeed): { job: JobRecord; claimed: boolean } {
    const existing = this.get(seed.id);
    const now = Date.now();
    const age = existing ? now - Date.parse(existing.updatedAt) : 0;
    const stale = existing && ((existing.status === 'error' && age > ERROR_RETRY_MS) || (existing.status === 'preparing' && age > PREPARE_TIMEOUT_MS));
    if (existing && !stale) return { job: existing, claimed: false };
    const at = new Date(now).toISOString();
    const job: JobRecord = { ...seed, status: 'preparing', attempts: 0, createdAt: at, updatedAt: at, error: null, outputs: [], input: null };
    this.save(job);
    return { job, claimed: true };
  }

  /** The source is in place: the job goes on the queue, and the webhook hears it was accepted. */
  async enqueue(id: string): Promise<JobRecord> {
    const job = this.require(id);
    const message: JobMessage = { id, tenantId: job.tenantId, plan: job.plan };
    try {
      await this.env.JOBS.send(message);
    } catch (error) {
      this.save({ ...job, status: 'error', error: `could not queue the job: ${String(error)}` });
      throw error;
    }
    const queued = this.save({ ...job, status: 'queued' });
    await this.notify(queued, 'accepted');
    return queued;
  }

  /** An attempt begins (`attempt` counts from 1). Answers null for a job that is no longer waiting for one. */
  start(id: string, attempt: number): JobRecord | null {
    const job = this.get(id);
    if (!job || job.status === 'ready') return null;
    return this.save({ ...job, status: 'running', attempts: attempt });
  }

  async succeed(id: string, outputs: JobRecord['outputs'], input: JobRecord['input']): Promise<JobRecord> {
    const job = this.save({ ...this.require(id), status: 'ready', outputs, input, error: null });
    await this.countMinutes(job);
    await this.notify(job, 'ready');
    return job;
  }

  /** An attempt failed and another will follow. */
  retrying(id: string, error: string): JobRecord {
    return this.save({ ...this.require(id), status: 'queued', error });
  }

  /** The job failed for good (refused input, or out of attempts: the dead-letter queue). */
  async fail(id: string, error: string): Promise<JobRecord | null> {
    const job = this.get(id);
    if (!job || job.status === 'ready') return job;
    const failed = this.save({ ...job, status: 'error', error });
    await this.notify(failed, 'error');
    return failed;
  }

  private require(id: string): JobRecord {
    const job = this.get(id);
    if (!job) throw new Error(`no video job ${id}`);
    return job;
  }

  private save(job: JobRecord): JobRecord {
    const saved = { ...job, updatedAt: new Date().toISOString() };
    this.ctx.storage.sql.exec(
      'INSERT OR REPLACE INTO jobs (id, status, record, updated_at) VALUES (?, ?, ?, ?)',
      saved.id,
      saved.status,
      JSON.stringify(saved),
      Date.parse(saved.updatedAt),
    );
    return saved;
  }

  /** Video minutes for usage and its alerts: the length of the video each finished job read. */
  private async countMinutes(job: JobRecord): Promise<void> {
    const seconds = job.input?.duration;
    if (!seconds || !Number.isFinite(seconds)) return;
    try {
      await libraryOf(this.env, job.tenantId).addUsage(utcDay(Date.now()), { videoSeconds: seconds });
    } catch (error) {
      console.error(`video job ${job.id}: counting its minutes failed`, error);
    }
  }

  private async notify(job: JobRecord, stage: 'accepted' | 'ready' | 'error'): Promise<void> {
    try {
      await libraryOf(this.env, job.tenantId).notify(jobEvent(job, stage));
    } catch (error) {
      // The job's state is what counts; a lost event is logged, not a failed job.
      console.error(`video job ${job.id}: queueing the ${stage} webhook failed`, error);
    }
  }
}
