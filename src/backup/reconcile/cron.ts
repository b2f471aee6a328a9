/**
 * The periodic reconcile (a Cron Trigger, src/platform/scheduled.ts): each run looks at a bounded number of
 * tenants, in id order from where the previous run stopped (kept in KV), and gives each tenant with backup on a
 * bounded number of pages: a pass in progress continues, a finished one starts again once it is a day old.
 */
import type { Env } from '../../env';
import { storedTenants } from '../../tenants/store';
import { libraryOf } from '../../library/client';
import { reconcileTenant } from './tenant';

export const RECONCILE_CRON = '23 * * * *';
/** Tenants looked at per run (one library call each, more for those with backup on). */
export const TENANTS_PER_RUN = 20;
/** Pages of up to RECONCILE_PAGE keys per tenant per run. */
export const STEPS_PER_TENANT = 10;
/** How old a finished pass is before the next one starts. */
export const RECONCILE_EVERY_MS = 24 * 3_600_000;

/** The last tenant id a run looked at ('' after the last tenant: the next run starts over). */
export const CURSOR_KEY = 'backup:reconcile:after';

export async function reconcileBackups(_controller: ScheduledController, env: Env): Promise<void> {
  const after = (await env.CONFIG.get(CURSOR_KEY)) ?? '';
  let looked = 0;
  let last = '';
  for await (const { id } of storedTenants(env)) {
    if (id <= after) continue;
    if (looked === TENANTS_PER_RUN) break;
    looked++;
    last = id;
    try {
      const report = await libraryOf(env, id).backupReconcile();
      const due = !report || report.status === 'running' || Date.now() - (report.finishedAt ?? 0) >= RECONCILE_EVERY_MS;
      if (due) await reconcileTenant(env, id, STEPS_PER_TENANT);
    } catch (error) {
      // One tenant's bucket does not hold up the others; its failure is in its backup status.
      console.error(`backup reconcile of ${id} failed`, error);
    }
  }
  await env.CONFIG.put(CURSOR_KEY, looked === TENANTS_PER_RUN ? last : '');
}
