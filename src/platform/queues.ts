/**
 * Every queue this Worker consumes, by queue name. A feature with its own queue adds one entry; the Worker's
 * `queue` handler only looks the batch's queue up here. Dead-letter queues are entries of their own.
 */
import type { Env } from '../env';
import { consumeJobs } from '../video/jobs/consumer';
import { consumeExports } from '../exports/consumer';
import { consumeBackup } from '../backup/consumer';

type Consumer = (batch: MessageBatch<never>, env: Env) => Promise<void>;

export const QUEUE_CONSUMERS: Record<string, Consumer> = {
  'edgepix-jobs': consumeJobs,
  'edgepix-jobs-dlq': consumeJobs,
  'edgepix-exports': consumeExports,
  'edgepix-exports-dlq': consumeExports,
  'edgepix-backup': consumeBackup,
  'edgepix-backup-dlq': consumeBackup,
};

export async function consumeQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const consumer = QUEUE_CONSUMERS[batch.queue];
  // A queue bound in wrangler.toml but missing here is a deployment mistake: retrying would not fix it.
  if (!consumer) throw new Error(`no consumer for queue ${batch.queue}`);
  await consumer(batch as MessageBatch<never>, env);
}
