/**
 * One tenant's reconcile: its stored target, its library, up to `maxSteps` pages of the pass in progress (or a
 * new pass). A bucket that refuses is a failure in the backup status, alerted like a failing mirror, and a 502
 * to whoever asked.
 */
import type { Env } from '../../env';
import { HttpError } from '../../http/errors';
import { libraryOf } from '../../library/client';
import { mailBackupFailure } from '../alert';
import { BucketError } from '../bucket';
import { targetOf } from '../target';
import { newReport, reconcile, type ReconcileReport } from './run';

export async function reconcileTenant(env: Env, tenant: string, maxSteps: number): Promise<ReconcileReport | null> {
  const library = libraryOf(env, tenant);
  const settings = await library.backupSettings();
  if (!settings) return null;
  const target = await targetOf(env, tenant, settings);
  const report = (await library.backupReconcile()) ?? newReport(Date.now());
  try {
    return await reconcile(library, target, report, { maxSteps });
  } catch (error) {
    if (!(error instanceof BucketError)) throw error;
    const failure = { at: Date.now(), seq: null, fileId: null, op: null, step: `reconcile ${error.step}`, reason: error.reason };
    if (await library.backupFailed([failure])) await mailBackupFailure(env, tenant, failure);
    throw new HttpError(502, `Reconcile could not read the backup bucket: ${error.reason}`, 'Check the bucket and its keys with POST /v1/accounts/backup/test.');
  }
}
