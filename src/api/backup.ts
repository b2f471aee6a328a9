/**
 * Backup to a bucket the tenant owns (src/backup/):
 *
 *   GET    /v1/accounts/backup           → 200 the target without its keys, or {enabled: false}
 *   PUT    /v1/accounts/backup           {endpoint, region?, bucket, prefix?, accessKeyId, secretAccessKey,
 *                                         deletes?: "mirror"|"keep", forcePathStyle?} → 200 as GET; the keys may be
 *                                         left out of a later PUT to keep the stored ones
 *   DELETE /v1/accounts/backup           → 204; mirroring stops and what still waited is dropped
 *   POST   /v1/accounts/backup/test      → 200 {ok, steps} writing, reading and deleting a probe object
 *   GET    /v1/accounts/backup/status    → 200 {enabled, lastMirroredAt, lagSeconds, pending, failures, backfill}
 *   POST   /v1/accounts/backup/backfill  → 202 the backfill's progress (a running one is reported, not restarted)
 *   POST   /v1/accounts/backup/reconcile → 200 the finished pass, or 202 a pass the hourly cron continues
 *
 * Reading needs `settings` read, every change `settings` read_write; every change is audited.
 */
import type { IRequest, RouterType } from 'itty-router';
import { recordAudit } from '../audit/record';
import { BackupBucket, BucketError } from '../backup/bucket';
import { probeKey } from '../backup/keys';
import { type BackupInput, describeBackup, parseBackupBody, type StoredBackup } from '../backup/settings';
import type { BackupStatus } from '../durable/media-library';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { libraryOf } from '../library/client';
import type { BackfillProgress } from '../library/store/backup';
import { encryptSecret } from '../security/crypto';
import { policyFor } from '../security/ssrf';
import { withTenantLock } from '../tenants/lock';
import { targetOf } from '../backup/target';
import type { ReconcileReport } from '../backup/reconcile/run';
import { reconcileTenant } from '../backup/reconcile/tenant';
import { readJsonObject } from './body';
import type { ApiContext } from './context';
import { json, noContent } from './respond';
import { settingsRoute } from './tenant-route';

const PATH = '/v1/accounts/backup';

export function registerBackupRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get(
    PATH,
    settingsRoute('read', async (ctx) => json(describeBackup(await libraryOf(ctx.env, ctx.tenant.id).backupSettings()))),
  );

  router.put(
    PATH,
    settingsRoute('read_write', async (ctx) => {
      const body = await readJsonObject(ctx.request);
      const library = libraryOf(ctx.env, ctx.tenant.id);
      // Under the tenant's lock: keys left out are taken from the settings this change replaces, not older ones.
      const saved = await withTenantLock(ctx.env, ctx.tenant.id, async () => {
        const stored = await library.backupSettings();
        const input = parseBackupBody(body, policyFor(ctx.env), stored !== null);
        const config = await sealed(ctx, input, stored);
        await library.setBackup(config);
        return { stored, config };
      });
      await audit(ctx, 'backup.update', describeBackup(saved.stored), describeBackup(saved.config));
      return json(describeBackup(saved.config));
    }),
  );

  router.delete(
    PATH,
    settingsRoute('read_write', async (ctx) => {
      const library = libraryOf(ctx.env, ctx.tenant.id);
      const before = await library.backupSettings();
      await library.clearBackup();
      await audit(ctx, 'backup.delete', describeBackup(before), undefined);
      return noContent();
    }),
  );

  router.post(
    `${PATH}/test`,
    settingsRoute('read_write', async (ctx) => {
      const settings = await configured(ctx);
      const answer = await testConnection(ctx.env, ctx.tenant.id, settings);
      await audit(ctx, 'backup.test', undefined, answer);
      return json(answer);
    }),
  );

  router.get(
    `${PATH}/status`,
    settingsRoute('read', async (ctx) => json(statusView(await libraryOf(ctx.env, ctx.tenant.id).backupStatus()))),
  );

  router.post(
    `${PATH}/backfill`,
    settingsRoute('read_write', async (ctx) => {
      const progress = await libraryOf(ctx.env, ctx.tenant.id).startBackfill();
      await audit(ctx, 'backup.backfill', undefined, { startedAt: progress.startedAt });
      return json(backfillView(progress), 202);
    }),
  );

  router.post(
    `${PATH}/reconcile`,
    settingsRoute('read_write', async (ctx) => {
      await configured(ctx);
      const report = (await reconcileTenant(ctx.env, ctx.tenant.id, RECONCILE_API_STEPS))!;
      await audit(ctx, 'backup.reconcile', undefined, { startedAt: report.startedAt, status: report.status });
      return json(reconcileView(report), report.status === 'done' ? 200 : 202);
    }),
  );
}

/** Pages one API call reconciles (RECONCILE_PAGE keys each); a larger bucket is continued by the cron. */
const RECONCILE_API_STEPS = 20;

async function configured(ctx: ApiContext): Promise<StoredBackup> {
  const settings = await libraryOf(ctx.env, ctx.tenant.id).backupSettings();
  if (!settings) throw new HttpError(409, 'Backup is not set up', 'Set the bucket with PUT /v1/accounts/backup first.');
  return settings;
}

/** The stored form: keys encrypted as origin credentials are, bound to the tenant id. */
async function sealed(ctx: ApiContext, input: BackupInput, stored: StoredBackup | null): Promise<StoredBackup> {
  const { accessKeyId, secretAccessKey, ...rest } = input;
  const seal = (value: string) => encryptSecret(ctx.env.MASTER_KEY, value, ctx.tenant.id);
  return {
    ...rest,
    accessKeyCiphertext: accessKeyId !== undefined ? await seal(accessKeyId) : stored!.accessKeyCiphertext,
    secretKeyCiphertext: secretAccessKey !== undefined ? await seal(secretAccessKey) : stored!.secretKeyCiphertext,
    updatedAt: new Date().toISOString(),
  };
}

type Step = 'put' | 'get' | 'delete';

/** Writes, reads back and deletes a small object; answers which step failed and why. */
export async function testConnection(env: Env, tenant: string, settings: StoredBackup) {
  const { bucket, prefix }: { bucket: BackupBucket; prefix: string } = await targetOf(env, tenant, settings);
  const key = probeKey(prefix);
  const content = `edgepix backup probe ${new Date().toISOString()}`;
  const steps: Partial<Record<Step, 'ok'>> = {};
  try {
    await bucket.put(key, content, 'text/plain');
    steps.put = 'ok';
    const read = await bucket.getText(key);
    if (read !== content) throw new BucketError('get', read === null ? 'the probe object written a moment ago is not there' : 'the probe object read back differs');
    steps.get = 'ok';
    await bucket.delete(key);
    steps.delete = 'ok';
    return { ok: true, key, steps };
  } catch (error) {
    if (!(error instanceof BucketError)) throw error;
    return { ok: false, key, steps, failedStep: error.step, reason: error.reason };
  }
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function backfillView(progress: BackfillProgress) {
  return { ...progress, startedAt: iso(progress.startedAt), finishedAt: iso(progress.finishedAt) };
}

function reconcileView(report: ReconcileReport) {
  return { ...report, startedAt: iso(report.startedAt), finishedAt: iso(report.finishedAt) };
}

function statusView(status: BackupStatus) {
  return {
    enabled: status.enabled,
    lastMirroredAt: iso(status.lastMirroredAt),
    lagSeconds: status.lagSeconds,
    pending: status.pending,
    failingSince: iso(status.failingSince),
    failures: status.failures.map((f) => ({ ...f, at: iso(f.at) })),
    backfill: status.backfill && backfillView(status.backfill),
    reconcile: status.reconcile && reconcileView(status.reconcile),
  };
}

function audit(ctx: ApiContext, action: string, before: unknown, after: unknown) {
  return recordAudit(ctx.env, ctx.tenant.id, { actor: ctx.actor, client: ctx.client, action, target: 'backup', before, after });
}
