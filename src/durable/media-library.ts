/**
 * One media library per tenant: files, versions, folders, custom metadata fields, used upload tokens, purge
 * requests, bulk jobs, usage and the webhook and delivery outboxes, in the Durable Object's SQLite. Every change
 * runs in one transaction, and the webhook events and the paths it changes for delivery are queued in that same
 * transaction. A change answers once the published index (src/library/published.ts) holds what it changed, so
 * delivery's cache hits need not call the object. The alarm publishes what is left, deletes the bytes of orphaned
 * blobs and delivers queued webhooks.
 *
 * RPC keeps only an error's message, so methods answer `Result` values and the Worker-side client
 * (src/library/client.ts) turns failures back into HttpErrors.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import { errorData, HttpError, type HttpErrorData } from '../http/errors';
import * as fileOps from '../library/operations/files';
import type { DetailsPatch } from '../library/operations/files';
import { eventData, type LibraryEvent } from '../library/events';
import type { LibraryState } from '../library/operations/state';
import { type ListedAsset, listAssets, type ListQuery } from '../library/operations/list';
import * as transfers from '../library/operations/transfers';
import { commitUpload, type UploadCommit } from '../library/operations/upload';
import type { PublishedFile } from '../library/published';
import { listedPaths, type Publication, Publisher } from '../library/publisher';
import type { FileRecord, FolderRecord, VersionRecord } from '../library/records';
import { type CustomMetadataField, describeField, validateFieldCreate, validateFieldUpdate } from '../library/custom-metadata';
import { BlobLedger, blobKey, RESERVATION_MS } from '../library/store/blobs';
import { CustomFieldStore } from '../library/store/custom-fields';
import { DeliveryOutbox } from '../library/store/delivery-outbox';
import { FileStore } from '../library/store/files';
import { FolderStore } from '../library/store/folders';
import { type JobRecord, type JobType, type PurgeRecord, RequestLedger } from '../library/store/requests';
import { migrate } from '../library/store/sql';
import { TokenLedger } from '../library/store/tokens';
import { type DailyUsage, UsageLedger } from '../library/store/usage';
import { deliverWebhook, type OutboxRow, WebhookOutbox, webhookEvent } from '../library/webhooks';
import { decryptSecret } from '../security/crypto';
import { loadTenant, storedTenants } from '../tenants/store';
import { deletePrefix } from '../storage/prefix';
import { backfillPage, startBackfill } from '../backup/backfill';
import { changeOf } from '../backup/changes';
import { BackupSender } from '../backup/sender';
import type { StoredBackup } from '../backup/settings';
import { type BackfillProgress, type BackupFailure, BackupStore, type QueuedChange } from '../library/store/backup';
import { type ExpectedRange, expectedInRange } from '../backup/reconcile/expected';
import { queueRepairs, RECONCILE_STATE_KEY } from '../backup/reconcile/repair';
import type { ReconcileReport, VersionRef } from '../backup/reconcile/run';
import { recoverName, rememberedName } from './identity';

export type Result<T> = { ok: true; value: T } | { ok: false; error: HttpErrorData };

/** `GET /v1/accounts/backup/status`'s facts (times in ms; the route writes them as ISO dates). */
export interface BackupStatus {
  enabled: boolean;
  lastMirroredAt: number | null;
  /** How long the oldest change still waiting has waited (0: nothing waits). */
  lagSeconds: number;
  pending: number;
  failingSince: number | null;
  failures: BackupFailure[];
  backfill: BackfillProgress | null;
  /** The reconcile pass running, or the last one (src/backup/reconcile/). */
  reconcile: ReconcileReport | null;
}

/** What delivery needs to serve a library file. */
export interface DeliveryRecord {
  fileId: string;
  versionId: string;
  blobKey: string;
  size: number;
  mime: string;
  isPrivate: boolean;
  updatedAt: number;
  /** "x,y,width,height" (fo-custom's area), or null. */
  customCoordinates: string | null;
}

const SWEEP_DELAY_MS = 1_000;
/** How long the alarm waits before writing to KV again after a write failed. */
const PUBLISH_RETRY_MS = 10_000;
const WEBHOOK_BATCH = 50;

/** Every stored tenant's id: where an object that never stored its name looks for it (recoverName). */
async function* tenantIdsOf(env: Env): AsyncGenerator<string> {
  for await (const tenant of storedTenants(env)) yield tenant.id;
}

/** The stored event with its records turned into ImageKit's payload shape. */
function withImageKitPayload(row: OutboxRow, endpoint: string): OutboxRow {
  const event = JSON.parse(row.body) as { data: LibraryEvent };
  // A video job's events carry ImageKit's whole body (`request` beside `data`), built when they happened.
  if ('payload' in event.data) return { ...row, body: JSON.stringify({ ...event, ...(event.data.payload as object) }) };
  return { ...row, body: JSON.stringify({ ...event, data: eventData(event.data, endpoint) }) };
}

export class MediaLibrary extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly files: FileStore;
  private readonly folders: FolderStore;
  private readonly blobs: BlobLedger;
  private readonly fields: CustomFieldStore;
  private readonly tokens: TokenLedger;
  private readonly usageLedger: UsageLedger;
  private readonly requests: RequestLedger;
  private readonly outbox: WebhookOutbox;
  private readonly deliveryOutbox: DeliveryOutbox;
  private readonly publisher: Publisher;
  private readonly backup: BackupStore;
  private readonly backupSender: BackupSender;
  /** When the alarm is set for (null: not set); known in memory so scheduling stays synchronous. */
  private alarmAt: number | null = null;
  /** The tenant, from the name the object was addressed by or, when woken without one, from its storage. */
  private tenant: string | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    migrate(this.sql);
    void ctx.blockConcurrencyWhile(async () => {
      this.alarmAt = await ctx.storage.getAlarm();
      this.tenant = rememberedName(ctx) ?? (await recoverName(ctx, env.MEDIA_LIBRARY, tenantIdsOf(env)));
      // Paths queued before this start (a library from before the published index, a crash before publishing).
      if (!this.deliveryOutbox.isEmpty()) this.scheduleAlarm(Date.now() + SWEEP_DELAY_MS);
    });
    this.files = new FileStore(this.sql);
    this.folders = new FolderStore(this.sql);
    this.blobs = new BlobLedger(this.sql);
    this.fields = new CustomFieldStore(this.sql);
    this.tokens = new TokenLedger(this.sql);
    this.usageLedger = new UsageLedger(this.sql);
    this.requests = new RequestLedger(this.sql);
    this.outbox = new WebhookOutbox(this.sql);
    this.deliveryOutbox = new DeliveryOutbox(this.sql);
    this.backup = new BackupStore(this.sql);
    this.backupSender = new BackupSender(this.backup, () => env.BACKUP, () => this.tenantId);
    this.publisher = new Publisher(this.deliveryOutbox, env.CONFIG, () => this.tenantId, (path) => this.publishedRecord(path));
  }

  private get tenantId(): string {
    if (this.tenant === null) throw new Error(`MediaLibrary ${this.ctx.id.toString()} belongs to no stored tenant`);
    return this.tenant;
  }

  // ----- delivery -----

  lookup(path: string, versionId?: string): DeliveryRecord | null {
    const file = this.files.byPath(path);
    if (!file || !file.isPublished) return null;
    const version = versionId ? this.files.version(file.id, versionId) : file.version;
    if (!version) return null;
    return {
      fileId: file.id,
      versionId: version.id,
      blobKey: blobKey(this.tenantId, version.blob),
      size: version.media.size,
      mime: version.media.mime,
      isPrivate: version.isPrivate,
      updatedAt: version.updatedAt,
      // The file's own for its current version (what the details API changes), else what the version kept.
      customCoordinates: (version.id === file.version.id ? file : version).customCoordinates,
    };
  }

  /** What the published index holds for `path`: the delivery record without what only the object uses. */
  private publishedRecord(path: string): PublishedFile | null {
    const record = this.lookup(path);
    if (!record) return null;
    const { versionId, size, mime, isPrivate, updatedAt, customCoordinates } = record;
    return { versionId, size, mime, isPrivate, updatedAt, ...(customCoordinates ? { customCoordinates } : {}) };
  }

  /** Delivery's and video jobs' counts, summed per isolate before they get here (src/delivery/bandwidth.ts). */
  addUsage(day: string, usage: Partial<DailyUsage>): void {
    this.usageLedger.add(day, usage);
  }

  // ----- upload -----

  claimToken(token: string, expiresAt: number): boolean {
    return this.tokens.claim(token, expiresAt, Date.now());
  }

  /** Reserves a blob before its bytes are written to R2; `present` means they are there already. */
  reserveBlob(hash: string, size: number): Result<{ key: string; present: boolean }> {
    return this.run(() => {
      const { present } = this.blobs.reserve(hash, size, Date.now());
      this.scheduleAlarm(Date.now() + RESERVATION_MS + SWEEP_DELAY_MS);
      return { key: blobKey(this.tenantId, hash), present };
    });
  }

  releaseBlob(hash: string): void {
    this.blobs.release(hash, Date.now());
    this.scheduleAlarm(Date.now() + SWEEP_DELAY_MS);
  }

  commitUpload(input: UploadCommit): Promise<Result<FileRecord>> {
    return this.write((state) => commitUpload(state, input));
  }

  // ----- reading -----

  list(query: ListQuery): Result<ListedAsset[]> {
    return this.run(() => listAssets(this.state(), query));
  }

  getFile(id: string): Result<FileRecord> {
    return this.run(() => fileOps.requireFile(this.state(), id));
  }

  versions(fileId: string): Result<{ file: FileRecord; versions: VersionRecord[] }> {
    return this.run(() => ({ file: fileOps.requireFile(this.state(), fileId), versions: this.files.versions(fileId) }));
  }

  version(fileId: string, versionId: string): Result<{ file: FileRecord; version: VersionRecord }> {
    return this.run(() => fileOps.requireVersion(this.state(), fileId, versionId));
  }

  folder(path: string): FolderRecord | null {
    return this.folders.byPath(path) ?? null;
  }

  /** A page of files by id, each with every version, and every folder: what a tenant export reads. */
  exportPage(afterId: string, limit: number, lastId: string | null): { file: FileRecord; versions: VersionRecord[] }[] {
    return this.files.after(afterId, limit, lastId).map((file) => ({ file, versions: this.files.versions(file.id) }));
  }

  allFolders(): FolderRecord[] {
    return this.folders.tree('/');
  }

  // ----- changing files -----

  updateDetails(id: string, patch: DetailsPatch): Promise<Result<FileRecord>> {
    return this.write((state) => fileOps.updateDetails(state, id, patch));
  }

  publish(id: string, isPublished: boolean, includeFileVersions: boolean): Promise<Result<FileRecord>> {
    return this.write((state) => fileOps.publish(state, id, isPublished, includeFileVersions));
  }

  deleteFile(id: string): Promise<Result<string>> {
    return this.write((state) => fileOps.deleteFile(state, id));
  }

  /** Deletes each file on its own, so one failure does not keep the others, then publishes them all at once; unknown ids abort everything. */
  deleteFiles(ids: string[]): Promise<Result<{ deleted: string[]; paths: string[]; errors: { fileId: string; error: string }[] }>> {
    return this.publishing(() =>
      this.run(() => {
        fileOps.requireAll(this.state(), ids);
        const deleted: string[] = [];
        const paths: string[] = [];
        const errors: { fileId: string; error: string }[] = [];
        for (const id of ids) {
          const result = this.commit((state) => fileOps.deleteFile(state, id));
          if (result.ok) {
            deleted.push(id);
            paths.push(result.value);
          } else errors.push({ fileId: id, error: result.error.message });
        }
        return { deleted, paths, errors };
      }),
    );
  }

  addTags(ids: string[], tags: string[]): Promise<Result<string[]>> {
    return this.write((state) => fileOps.addTags(state, ids, tags));
  }

  removeTags(ids: string[], tags: string[]): Promise<Result<string[]>> {
    return this.write((state) => fileOps.removeTags(state, ids, tags));
  }

  removeAiTags(ids: string[], tags: string[]): Promise<Result<string[]>> {
    return this.write((state) => fileOps.removeAiTags(state, ids, tags));
  }

  copyFile(sourcePath: string, destinationFolder: string, includeVersions: boolean): Promise<Result<void>> {
    return this.write((state) => transfers.copyFile(state, sourcePath, destinationFolder, includeVersions));
  }

  moveFile(sourcePath: string, destinationFolder: string): Promise<Result<void>> {
    return this.write((state) => transfers.moveFile(state, sourcePath, destinationFolder));
  }

  renameFile(path: string, newName: string): Promise<Result<FileRecord>> {
    return this.write((state) => transfers.renameFile(state, path, newName));
  }

  deleteVersion(fileId: string, versionId: string): Promise<Result<void>> {
    return this.write((state) => fileOps.deleteVersion(state, fileId, versionId));
  }

  restoreVersion(fileId: string, versionId: string): Promise<Result<FileRecord>> {
    return this.write((state) => fileOps.restoreVersion(state, fileId, versionId));
  }

  // ----- folders and bulk jobs -----

  createFolder(path: string): Promise<Result<void>> {
    return this.write((state) => transfers.createFolder(state, path));
  }

  deleteFolder(path: string): Promise<Result<void>> {
    return this.write((state) => transfers.deleteFolder(state, path));
  }

  folderJob(
    job: { type: 'COPY_FOLDER'; source: string; destination: string; includeVersions: boolean }
      | { type: 'MOVE_FOLDER'; source: string; destination: string }
      | { type: 'RENAME_FOLDER'; source: string; newName: string },
  ): Promise<Result<JobRecord>> {
    return this.write((state) => {
      if (job.type === 'COPY_FOLDER') transfers.copyFolder(state, job.source, job.destination, job.includeVersions);
      else if (job.type === 'MOVE_FOLDER') transfers.moveFolder(state, job.source, job.destination);
      else transfers.renameFolder(state, job.source, job.newName);
      return this.requests.completedJob(job.type satisfies JobType, state.now);
    });
  }

  /** Links the purge a rename asked for to its job; the purge starts after the rename, so it comes after the job. */
  attachJobPurge(jobId: string, purgeRequestId: string): void {
    this.requests.attachPurge(jobId, purgeRequestId);
  }

  job(id: string): JobRecord | null {
    return this.requests.job(id) ?? null;
  }

  // ----- custom metadata fields -----

  customFields(includeDeleted: boolean): CustomMetadataField[] {
    return this.fields.list(includeDeleted).map(describeField);
  }

  createCustomField(body: Record<string, unknown>): Promise<Result<CustomMetadataField>> {
    return this.write((state) => describeField(this.fields.create(validateFieldCreate(body), state.now)));
  }

  updateCustomField(id: string, body: Record<string, unknown>): Promise<Result<CustomMetadataField>> {
    return this.write((state) => {
      const existing = this.fields.byId(id);
      return describeField(this.fields.update(id, validateFieldUpdate(existing.schema, body), state.now));
    });
  }

  deleteCustomField(id: string): Promise<Result<void>> {
    return this.write((state) => this.fields.delete(id, state.now));
  }

  // ----- purges and usage -----

  newPurge(url: string): PurgeRecord {
    return this.requests.newPurge(url, Date.now());
  }

  completePurge(id: string): void {
    this.requests.completePurge(id, Date.now());
  }

  purge(id: string): PurgeRecord | null {
    return this.requests.purge(id) ?? null;
  }

  usage(startDay: string, endDay: string): DailyUsage & { storageBytes: number } {
    return { ...this.usageLedger.between(startDay, endDay), storageBytes: this.blobs.storedBytes() };
  }

  // ----- backup to the tenant's bucket (src/backup/) -----

  backupSettings(): StoredBackup | null {
    return this.backup.settings();
  }

  /** Saves the target; rows parked after failures go again at once (new keys may be what they waited for). */
  async setBackup(config: StoredBackup): Promise<void> {
    this.ctx.storage.transactionSync(() => {
      this.backup.saveSettings(config);
      this.backup.unpark();
    });
    await this.flushBackup();
  }

  /** Turns backup off: what was still waiting is dropped (a later backfill brings the bucket up to date). */
  clearBackup(): boolean {
    const was = this.backup.enabled();
    this.ctx.storage.transactionSync(() => this.backup.clear());
    return was;
  }

  backupStatus(now = Date.now()): BackupStatus {
    const oldest = this.backup.oldestPendingAt();
    const last = this.backup.state('last_mirrored_at');
    const failingSince = this.backup.state('failing_since');
    return {
      enabled: this.backup.enabled(),
      lastMirroredAt: last === null ? null : Number(last),
      lagSeconds: oldest === null ? 0 : Math.max(0, Math.round((now - oldest) / 1000)),
      pending: this.backup.count(),
      failingSince: failingSince === null ? null : Number(failingSince),
      failures: this.backup.failures(),
      backfill: this.backup.backfill(),
      reconcile: this.backupReconcile(),
    };
  }

  /** Reconcile: what the bucket should hold after `lo` up to `hi` (relative keys), at most about `limit` rows a tree. */
  backupExpected(lo: string | null, hi: string | null, limit: number): ExpectedRange {
    return expectedInRange(this.sql, this.files, lo, hi, limit);
  }

  /** Reconcile: queues one page's repairs and saves its progress in one transaction, then sends them. */
  async backupRepair(versions: VersionRef[], removals: string[], report: ReconcileReport): Promise<Result<ReconcileReport>> {
    const result = this.run(() => {
      if (!this.backup.enabled()) throw new HttpError(409, 'Backup was turned off during the reconcile', 'Set the bucket again to reconcile it.');
      return this.ctx.storage.transactionSync(() => queueRepairs(this.sql, this.files, this.backup, versions, removals, report, Date.now()));
    });
    if (result.ok) await this.flushBackup();
    return result;
  }

  backupReconcile(): ReconcileReport | null {
    const raw = this.backup.state(RECONCILE_STATE_KEY);
    return raw ? (JSON.parse(raw) as ReconcileReport) : null;
  }

  /** Starts (or reports the running) backfill and queues its first page at once; the alarm queues the rest. */
  async startBackfill(): Promise<Result<BackfillProgress>> {
    const result = this.run(() => {
      if (!this.backup.enabled()) {
        throw new HttpError(409, 'Backup is not set up', 'Set the bucket with PUT /v1/accounts/backup first.');
      }
      return startBackfill(this.sql, this.backup, Date.now());
    });
    if (!result.ok) return result;
    if (this.backfillStep()) this.scheduleAlarm(Date.now());
    await this.flushBackup();
    return { ok: true, value: this.backup.backfill()! };
  }

  /** The consumer's view of a batch: the settings and the rows still waiting (others were mirrored already). */
  backupClaim(seqs: number[]): { settings: StoredBackup | null; changes: QueuedChange[] } {
    return { settings: this.backup.settings(), changes: this.backup.pending(seqs) };
  }

  /** The consumer mirrored `seqs`: they leave the outbox and the rows they held back may go. */
  async backupMirrored(seqs: number[]): Promise<void> {
    const recovered = this.ctx.storage.transactionSync(() => {
      const ended = this.backup.mirrored(seqs, Date.now());
      if (ended) this.emit({ type: 'backup.recovered', payload: { data: { pending: this.backup.count() } } });
      return ended;
    });
    // Bytes the mirror no longer needs may be orphans now; the alarm also delivers a recovery event.
    this.scheduleAlarm(Date.now() + (recovered ? 0 : SWEEP_DELAY_MS));
    await this.flushBackup();
  }

  /**
   * Failures the consumer met; with `parkSeconds` (the dead-letter queue gave up on them) the rows wait that
   * long, doubling with each give-up, before they go again. Answers whether this starts a failing streak: the
   * caller then alerts the tenant, once per streak, and the webhook event is queued here.
   */
  backupFailed(failures: BackupFailure[], parkSeconds?: number): boolean {
    const now = Date.now();
    const park = parkSeconds === undefined ? undefined : (attempts: number) => Math.min(3_600_000, parkSeconds * 1000 * 2 ** (attempts - 1));
    const started = this.ctx.storage.transactionSync(() => {
      const first = this.backup.failed(failures, now, park);
      if (first) {
        const failure = failures[0]!;
        this.emit({ type: 'backup.failed', payload: { data: { step: failure.step, reason: failure.reason, fileId: failure.fileId } } });
      }
      return first;
    });
    // The alarm sends the webhook event and the parked rows when their time comes.
    if (started) this.scheduleAlarm(now + SWEEP_DELAY_MS);
    const wake = this.backup.nextWakeAt(Date.now());
    if (wake !== null) this.scheduleAlarm(wake);
    return started;
  }

  /** Queues one more backfill page when one is running; answers whether more is left. */
  private backfillStep(): boolean {
    return this.ctx.storage.transactionSync(() => backfillPage(this.sql, this.files, this.backup, Date.now()));
  }

  private async flushBackup(): Promise<void> {
    try {
      // Rows now on the queue need an alarm at their resend time, should their messages be lost.
      if ((await this.backupSender.flush()) > 0) this.scheduleAlarm(this.backup.nextWakeAt(Date.now()) ?? Date.now() + SWEEP_DELAY_MS);
    } catch (error) {
      console.error('backup: sending to the queue failed, left for the alarm', error);
      this.scheduleAlarm(Date.now() + PUBLISH_RETRY_MS);
    }
  }

  // ----- tenant deletion -----

  /** Erases the tenant's library: bytes first, then every record, then its keys in the published index. */
  async erase(): Promise<void> {
    await deletePrefix(this.env.MEDIA, `library/${this.tenantId}/`);
    await this.ctx.storage.deleteAlarm();
    this.alarmAt = null;
    // Between publications, so none still in progress writes a key back or forgets rows queued here.
    await this.publisher.serially(async () => {
      // Should listing fail, the keys of the paths the library knows still go; the erase goes on.
      const listed = await listedPaths(this.env.CONFIG, this.tenantId).catch((error: unknown) => {
        console.error('published index: listing the keys to erase failed', error);
        return [];
      });
      const paths = new Set([...this.deliveryOutbox.everyPath(), ...listed]);
      await this.ctx.storage.deleteAll();
      // The object may live on after the erase (a tenant created again under the same id): it answers as empty.
      migrate(this.sql);
      rememberedName(this.ctx);
      // Paths without a file: publishing them deletes their keys.
      this.deliveryOutbox.queue([...paths]);
    });
    this.schedulePublication(await this.publisher.publish());
  }

  // ----- background work -----

  override async alarm(): Promise<void> {
    this.alarmAt = null;
    if (this.tenant === null) {
      // Left behind by a deleted tenant: nobody to send events to, and no bytes it could name.
      console.warn(`MediaLibrary ${this.ctx.id.toString()}: alarm skipped, the object belongs to no stored tenant`);
      return;
    }
    const publication = await this.publisher.publish();
    await this.sweep();
    await this.sendWebhooks();
    const backfilling = this.backfillStep();
    await this.flushBackup();
    const next = [this.blobs.nextExpiry(Date.now()), this.outbox.nextAttemptAt(), this.backup.nextWakeAt(Date.now())].filter(
      (t): t is number => t !== null,
    );
    if (backfilling) next.push(Date.now());
    if (next.length > 0) this.scheduleAlarm(Math.min(...next) + SWEEP_DELAY_MS);
    this.schedulePublication(publication);
  }

  /** Comes back for the paths still queued: soon when one call could not take them all, later after a failure. */
  private schedulePublication(last: Publication): void {
    if (this.deliveryOutbox.isEmpty()) return;
    this.scheduleAlarm(Date.now() + (last.failed > 0 ? PUBLISH_RETRY_MS : SWEEP_DELAY_MS));
  }

  /** Sends the events that are due; with no webhook configured there is nobody to tell, so they are dropped. */
  async sendWebhooks(now = Date.now()): Promise<number> {
    const due = this.outbox.due(now, WEBHOOK_BATCH);
    if (due.length === 0) return 0;
    const webhook = (await loadTenant(this.env, this.tenantId))?.webhook;
    if (!webhook) {
      for (const row of due) this.outbox.delivered(row.id);
      return 0;
    }
    const target = { url: webhook.url, secret: await decryptSecret(this.env.MASTER_KEY, webhook.secretCiphertext, this.tenantId) };
    let sent = 0;
    for (const row of due) {
      const result = await deliverWebhook(target, withImageKitPayload(row, webhook.urlEndpoint), { env: this.env, now });
      if (result.ok) {
        this.outbox.delivered(row.id);
        sent++;
      } else this.outbox.failed(row.id, result.error, Date.now());
    }
    return sent;
  }

  /** Deletes the bytes of blobs no version uses and no upload has reserved; records go after their bytes. */
  async sweep(): Promise<number> {
    const orphans = this.blobs.claimOrphans(Date.now());
    for (const hash of orphans) {
      try {
        await this.env.MEDIA.delete(blobKey(this.tenantId, hash));
        this.blobs.forget(hash);
      } catch (error) {
        console.error('orphan sweep: R2 delete failed', error);
        this.blobs.unclaim(hash);
      }
    }
    return orphans.length;
  }

  // ----- plumbing -----

  private state(): LibraryState {
    return {
      sql: this.sql,
      files: this.files,
      folders: this.folders,
      blobs: this.blobs,
      fields: this.fields,
      now: Date.now(),
      emit: (event) => this.emit(event),
    };
  }

  /** Queues an event that happened outside the library (a video job's progress) for the tenant's webhook. */
  notify(event: LibraryEvent): void {
    this.emit(event);
    this.scheduleAlarm(Date.now() + SWEEP_DELAY_MS);
  }

  /** Queues a webhook event inside the change's transaction: it is sent if and only if the change happened. */
  private emit(event: LibraryEvent): void {
    const now = Date.now();
    this.outbox.enqueue(webhookEvent(event.type, event, now), now);
    // The backup outbox row joins the same transaction: mirrored if and only if the change committed.
    if (this.backup.enabled()) {
      const change = changeOf(event, now, (fileId) => this.backup.known(fileId)?.path);
      if (change) this.backup.record(change);
    }
  }

  /** Commits a change and answers once what it changed for delivery is published. */
  private write<T>(change: (state: LibraryState) => T): Promise<Result<T>> {
    return this.publishing(() => this.commit(change));
  }

  /** Runs a change in one transaction; a failure leaves nothing of it behind. Orphaned bytes get swept. */
  private commit<T>(change: (state: LibraryState) => T): Result<T> {
    const result = this.run(() => this.ctx.storage.transactionSync(() => change(this.state())));
    if (result.ok) this.scheduleAlarm(Date.now() + SWEEP_DELAY_MS);
    return result;
  }

  /**
   * Runs `work`, then publishes the paths it queued. The change is committed either way: a failure to publish
   * is left to the alarm, which every commit sets.
   */
  private async publishing<T>(work: () => Result<T>): Promise<Result<T>> {
    const before = this.deliveryOutbox.lastSeq();
    const result = work();
    if (this.deliveryOutbox.lastSeq() !== before) {
      try {
        await this.publisher.publish(before);
      } catch (error) {
        console.error('published index: publishing after a change failed, left for the alarm', error);
      }
    }
    if (result.ok) await this.flushBackup();
    return result;
  }

  private run<T>(work: () => T): Result<T> {
    try {
      return { ok: true, value: work() };
    } catch (error) {
      if (error instanceof HttpError) return { ok: false, error: errorData(error) };
      throw error;
    }
  }

  /** Sets the alarm for `at` unless it fires sooner; called inside the request, so the write is part of it. */
  private scheduleAlarm(at: number): void {
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    this.alarmAt = at;
    void this.ctx.storage.setAlarm(at);
  }
}
