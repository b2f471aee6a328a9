/**
 * What an isolate sums or collects before writing it to a Durable Object: delivery's bandwidth meter and its
 * analytics events. A flush runs in the waitUntil of the request that started the wait, so no request ever waits
 * on it; work an isolate still holds when it is evicted is lost (counts, never responses).
 */

/** waitUntil work may run only about 30 s past the response: a longer wait would never reach its flush. */
export const MAX_FLUSH_MS = 20_000;
const DEFAULT_FLUSH_MS = 10_000;

/** One pending flush at a time for one kind of batch. */
export class FlushTimer {
  /** When the scheduled flush is due; null when none is scheduled. */
  private dueAt: number | null = null;

  /** Makes sure `flush` runs within `delayMs`, in `exec`'s waitUntil, unless one is already on its way. */
  schedule(exec: ExecutionContext, delayMs: number, flush: () => Promise<void>, now = Date.now()): void {
    // A flush is already coming, unless its waitUntil was cut short (then its due time is long past).
    if (this.dueAt !== null && now < this.dueAt + MAX_FLUSH_MS) return;
    this.dueAt = now + delayMs;
    exec.waitUntil(
      sleep(delayMs).then(() => {
        this.dueAt = null;
        return flush();
      }),
    );
  }
}

/** A flush interval setting ("10000"): digits only, at most MAX_FLUSH_MS, else the default. */
export function flushInterval(raw: string | undefined): number {
  return Math.min(typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : DEFAULT_FLUSH_MS, MAX_FLUSH_MS);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
