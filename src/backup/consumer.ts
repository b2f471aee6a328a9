/**
 * The backup queue's consumer: mirrors each change its message names, reading the change from the library's
 * outbox (a message whose row is gone was mirrored already: a redelivery, acknowledged without work). A
 * failure is recorded with its reason and the message retried with exponential backoff; after the last retry
 * the dead-letter queue's consumer records that it gave up and parks the change in the library, which sends it
 * again later. Nothing is dropped: a change leaves the outbox only once it is in the bucket (or backup is off).
 */
import type { Env } from '../env';
import { libraryOf } from '../library/client';
import type { BackupFailure } from '../library/store/backup';
import { mailBackupFailure } from './alert';
import { BucketError } from './bucket';
import type { BackupMessage } from './message';
import { mirrorChange } from './mirror';
import { targetOf } from './target';

const MAX_RETRY_DELAY_SECONDS = 600;

export async function consumeBackup(batch: MessageBatch<BackupMessage>, env: Env): Promise<void> {
  const byTenant = new Map<string, Message<BackupMessage>[]>();
  for (const message of batch.messages) {
    const list = byTenant.get(message.body.tenant) ?? [];
    list.push(message);
    byTenant.set(message.body.tenant, list);
  }
  const deadLetters = batch.queue.endsWith('-dlq');
  for (const [tenant, messages] of byTenant) {
    if (deadLetters) await giveUp(env, tenant, messages);
    else await mirror(env, tenant, messages);
  }
}

async function mirror(env: Env, tenant: string, messages: Message<BackupMessage>[]): Promise<void> {
  const library = libraryOf(env, tenant);
  const { settings, changes } = await library.backupClaim(messages.map((m) => m.body.seq));
  const waiting = new Map(changes.map((c) => [c.seq, c.change]));
  if (!settings) return messages.forEach((m) => m.ack());
  const target = await targetOf(env, tenant, settings);
  const mirrored: Message<BackupMessage>[] = [];
  const failures: BackupFailure[] = [];
  // The library sends a change only once every earlier change of its file and paths is in the bucket, so the
  // changes of one batch never touch the same keys: they are written side by side.
  await Promise.all(
    messages.map(async (message) => {
      const change = waiting.get(message.body.seq);
      if (!change) return message.ack();
      try {
        await mirrorChange(env, tenant, target, change);
        mirrored.push(message);
      } catch (error) {
        failures.push(failureOf(message.body, error));
        message.retry({ delaySeconds: retryDelay(env, message.attempts) });
      }
    }),
  );
  failures.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  if (mirrored.length > 0) {
    await library.backupMirrored(mirrored.map((m) => m.body.seq));
    for (const message of mirrored) message.ack();
  }
  if (failures.length > 0 && (await library.backupFailed(failures))) await mailBackupFailure(env, tenant, failures[0]!);
}

/** The dead-letter queue: the retries are spent. The change waits in the library and goes again later. */
async function giveUp(env: Env, tenant: string, messages: Message<BackupMessage>[]): Promise<void> {
  const library = libraryOf(env, tenant);
  const failures = messages.map(({ body }) => ({
    at: Date.now(),
    seq: body.seq,
    fileId: body.fileId,
    op: body.op,
    step: 'retries',
    reason: `gave up after ${messages[0]!.attempts} deliveries; the change waits and is tried again later`,
  }));
  if (await library.backupFailed(failures, parkSeconds(env))) await mailBackupFailure(env, tenant, failures[0]!);
  for (const message of messages) message.ack();
}

function failureOf(body: BackupMessage, error: unknown): BackupFailure {
  const step = error instanceof BucketError ? error.step : 'mirror';
  const reason = error instanceof BucketError ? error.reason : error instanceof Error ? error.message : String(error);
  return { at: Date.now(), seq: body.seq, fileId: body.fileId, op: body.op, step, reason };
}

/** Exponential backoff: base, 2×base, 4×base… seconds, at most ten minutes. */
export function retryDelay(env: Pick<Env, 'BACKUP_RETRY_BASE_SECONDS'>, attempts: number): number {
  const base = Number(env.BACKUP_RETRY_BASE_SECONDS ?? '5');
  return Math.min(MAX_RETRY_DELAY_SECONDS, Math.round(base * 2 ** Math.max(0, attempts - 1)));
}

const parkSeconds = (env: Pick<Env, 'BACKUP_PARK_SECONDS'>) => Number(env.BACKUP_PARK_SECONDS ?? '60');
