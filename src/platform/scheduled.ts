/**
 * Work the Cron Triggers of wrangler.toml start. Each entry is one independent task; a task that fails is
 * logged and does not keep the others from running.
 */
import type { Env } from '../env';
import { probeStatus } from './status-probe';
import { RECONCILE_CRON, reconcileBackups } from '../backup/reconcile/cron';

type CronTask = (controller: ScheduledController, env: Env, exec: ExecutionContext) => Promise<void>;

/** By cron expression, as written in wrangler.toml's [triggers]. */
export const CRON_TASKS: Record<string, CronTask[]> = {
  // Every minute: the status page's probes (src/status/prober.ts).
  '* * * * *': [probeStatus],
  [RECONCILE_CRON]: [reconcileBackups],
};

export async function runScheduled(controller: ScheduledController, env: Env, exec: ExecutionContext): Promise<void> {
  const tasks = CRON_TASKS[controller.cron] ?? [];
  const results = await Promise.allSettled(tasks.map((task) => task(controller, env, exec)));
  for (const result of results) if (result.status === 'rejected') console.error(`cron ${controller.cron} task failed`, result.reason);
}
