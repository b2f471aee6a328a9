/**
 * Moves ready rows of the library's backup outbox onto the backup queue. Rows are marked sent before the send
 * (so a second pass running meanwhile does not take them too) and unmarked when the send fails; a row whose
 * message was lost after all is sent again after RESEND_AFTER_MS. Either way a change goes at least once.
 */
import { blobKey } from '../library/store/blobs';
import type { BackupStore } from '../library/store/backup';
import { backupMessage, type BackupMessage } from './message';

/** Queues' sendBatch takes at most 100 messages. */
const SEND_BATCH = 100;

export class BackupSender {
  private chain: Promise<number> = Promise.resolve(0);

  constructor(
    private readonly store: BackupStore,
    private readonly queue: () => Queue<BackupMessage> | undefined,
    private readonly tenantId: () => string,
  ) {}

  /** Sends what is ready, after any pass already running; answers how many messages this pass sent. */
  flush(): Promise<number> {
    this.chain = this.chain.catch(() => 0).then(() => this.pass());
    return this.chain;
  }

  private async pass(): Promise<number> {
    const queue = this.queue();
    if (!queue || !this.store.enabled()) return 0;
    let sent = 0;
    for (;;) {
      const now = Date.now();
      const ready = this.store.ready(now, SEND_BATCH);
      if (ready.length === 0) return sent;
      const seqs = ready.map((r) => r.seq);
      this.store.markSent(seqs, now);
      const tenant = this.tenantId();
      const messages = ready.map(({ seq, change }) => ({
        body: backupMessage(tenant, seq, change, change.blob ? blobKey(tenant, change.blob) : null),
        contentType: 'json' as const,
      }));
      try {
        await queue.sendBatch(messages);
      } catch (error) {
        // The platform's own failure, not the tenant's bucket: the rows wait for the alarm's next pass.
        this.store.unsent(seqs);
        throw error;
      }
      sent += ready.length;
      if (ready.length < SEND_BATCH) return sent;
    }
  }
}
