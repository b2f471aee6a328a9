/**
 * The export job on the `edgepix-exports` queue, one step a message: `plan` cuts the library into parts and
 * queues one message per part; `part` writes one archive; the part that completes the set queues `finish`,
 * which writes the manifest. A failed step is retried with backoff (only that step: written parts stay
 * written); after the queue's last retry the dead-letter consumer marks the export failed.
 */
import type { Env } from '../env';
import { mediaOf } from '../storage/media';
import { exportsOf } from './client';
import { exportPrefix, MANIFEST_NAME, partName } from './keys';
import { planParts, writePart } from './parts';
import type { ExportMessage, ExportRecord } from './types';

const MAX_RETRY_DELAY_SECONDS = 300;
/** Messages a sendBatch may carry. */
const SEND_BATCH = 100;

export async function consumeExports(batch: MessageBatch<ExportMessage>, env: Env): Promise<void> {
  const deadLetters = batch.queue.endsWith('-dlq');
  for (const message of batch.messages) {
    if (deadLetters) await giveUp(env, message);
    else await attempt(env, message);
  }
}

/** Seconds before retry `attempts` + 1: 2, 4, 8… at most five minutes. */
export const exportRetryDelay = (attempts: number) => Math.min(MAX_RETRY_DELAY_SECONDS, 2 ** Math.max(1, attempts));

async function attempt(env: Env, message: Message<ExportMessage>): Promise<void> {
  try {
    await step(env, message.body, message.attempts);
    message.ack();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`export ${message.body.exportId} ${message.body.kind} failed (attempt ${message.attempts}):`, reason);
    if (message.body.kind === 'part') await exportsOf(env, message.body.tenantId).partRetrying(message.body.exportId, message.body.part, reason);
    message.retry({ delaySeconds: exportRetryDelay(message.attempts) });
  }
}

async function step(env: Env, body: ExportMessage, attempts: number): Promise<void> {
  const ledger = exportsOf(env, body.tenantId);
  switch (body.kind) {
    case 'plan': {
      const record = await ledger.get(body.exportId);
      if (!record) return;
      const pending = await ledger.plan(body.exportId, await planParts(env, body.tenantId, record.bounds));
      if (!pending) return;
      const messages = pending.map((part) => ({ body: { kind: 'part' as const, tenantId: body.tenantId, exportId: body.exportId, part } }));
      for (let i = 0; i < messages.length; i += SEND_BATCH) await env.EXPORTS.sendBatch(messages.slice(i, i + SEND_BATCH));
      return;
    }
    case 'part': {
      const started = await ledger.startPart(body.exportId, body.part, attempts);
      if (!started) return;
      const written = await writePart(env, started.record, started.part);
      if (await ledger.partDone(body.exportId, body.part, written.size, written.sha256)) {
        await env.EXPORTS.send({ kind: 'finish', tenantId: body.tenantId, exportId: body.exportId });
      }
      return;
    }
    case 'finish': {
      const record = await ledger.get(body.exportId);
      if (!record || record.status !== 'running') return;
      await mediaOf(env, body.tenantId).put(exportPrefix(body.tenantId, body.exportId) + MANIFEST_NAME, JSON.stringify(manifest(record), null, 2), {
        httpMetadata: { contentType: 'application/json', contentDisposition: `attachment; filename="${body.tenantId}-${body.exportId}-${MANIFEST_NAME}"` },
      });
      await ledger.finish(body.exportId);
      return;
    }
  }
}

/** What the manifest lists: every part with what it holds, its size and its SHA-256. */
export function manifest(record: ExportRecord) {
  return {
    export: record.id,
    account: record.tenantId,
    createdAt: record.createdAt,
    parts: record.parts.map((p) => ({ name: partName(p.n), files: p.files, size: p.size, sha256: p.sha256 })),
  };
}

async function giveUp(env: Env, message: Message<ExportMessage>): Promise<void> {
  const { tenantId, exportId } = message.body;
  const ledger = exportsOf(env, tenantId);
  const part = message.body.kind === 'part' ? message.body.part : null;
  const last = part === null ? null : (await ledger.get(exportId))?.parts.find((p) => p.n === part)?.error;
  await ledger.fail(exportId, part, `gave up after the last retry${last ? `: ${last}` : ''}`);
  message.ack();
}
