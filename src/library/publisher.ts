/**
 * Writes the library's delivery records to the published index (src/library/published.ts) for the paths the
 * delivery outbox holds: the current record, or no key when the path has no published file. The outbox rows
 * go only once KV has the record, so a crash or a failed write leaves them for the object's alarm.
 */
import { type PublishedFile, publishedKey, publishedPrefix } from './published';
import type { DeliveryOutbox } from './store/delivery-outbox';

const BATCH = 200;
/** A call stays well under KV's thousand operations per invocation; the alarm publishes what is left. */
const MAX_BATCHES = 4;

export interface Publication {
  published: number;
  failed: number;
}

export class Publisher {
  /** Publications run one after another, so a record read earlier never lands after one read later. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly outbox: DeliveryOutbox,
    private readonly kv: KVNamespace,
    private readonly tenantId: () => string,
    private readonly recordOf: (path: string) => PublishedFile | null,
  ) {}

  /** Publishes the paths queued after `afterSeq`, oldest first, once the publications before it are done. */
  publish(afterSeq = 0): Promise<Publication> {
    return this.serially(() => this.publishNow(afterSeq));
  }

  /** Runs `work` between publications: none is reading the outbox or writing KV meanwhile. */
  serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async publishNow(afterSeq: number): Promise<Publication> {
    const tenantId = this.tenantId();
    const result: Publication = { published: 0, failed: 0 };
    let firstFailure: unknown;
    let cursor = afterSeq;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const queued = this.outbox.oldest(cursor, BATCH);
      if (queued.length === 0) break;
      cursor = queued[queued.length - 1]!.seq;
      const paths = [...new Set(queued.map((row) => row.path))];
      // Every record of the batch is read before the first await: one state of the library.
      const records = paths.map((path) => this.recordOf(path));
      const outcomes = await Promise.allSettled(
        paths.map((path, i) => {
          const key = publishedKey(tenantId, path);
          const record = records[i];
          return record ? this.kv.put(key, JSON.stringify(record)) : this.kv.delete(key);
        }),
      );
      const done = paths.filter((_, i) => outcomes[i]!.status === 'fulfilled');
      this.outbox.published(done, cursor);
      result.published += done.length;
      result.failed += paths.length - done.length;
      firstFailure ??= outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')?.reason;
      if (queued.length < BATCH) break;
    }
    if (result.failed > 0) {
      console.error(`published index: ${result.failed} path(s) of tenant ${tenantId} not written, left for the alarm`, firstFailure);
    }
    return result;
  }
}

/** The paths that have a key in the tenant's published index, as KV lists them (a listing may lag recent writes). */
export async function listedPaths(kv: KVNamespace, tenantId: string): Promise<string[]> {
  const prefix = publishedPrefix(tenantId);
  const paths: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list({ prefix, cursor });
    for (const key of page.keys) paths.push(key.name.slice(prefix.length));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return paths;
}
