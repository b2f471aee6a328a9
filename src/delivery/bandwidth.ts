/**
 * Usage accounting for /v1/accounts/usage and the usage alerts. Delivered bytes are counted as they are sent (a
 * known Content-Length, else a counting stream: the body is never buffered), transformations as they are made;
 * both are summed per isolate, and written to the tenant's library at most every USAGE_FLUSH_MS (storage/isolate-flush.ts), so the library's Durable Object
 * does not take one write per delivered request. Bytes an isolate still holds when it is evicted are lost:
 * usage is a close estimate, not a ledger.
 */
import type { Env } from '../env';
import { libraryOf } from '../library/client';
import { utcDay } from '../library/store/usage';
import { FlushTimer, flushInterval } from '../storage/isolate-flush';

type MeterEnv = Pick<Env, 'MEDIA_LIBRARY' | 'USAGE_FLUSH_MS'>;

export interface Meter {
  env: MeterEnv;
  exec: ExecutionContext;
  tenantId: string;
}

/** Counts not yet written, per tenant and UTC day. */
const pending = new Map<string, { tenantId: string; day: string; bytes: number; transformations: number }>();
const timer = new FlushTimer();

/**
 * The response, with its body counted towards the tenant's bandwidth. Only GET bodies count, whole (200) or
 * partial (206). `sent`, when given, hears the bytes too (0 for a response that sends no body), once they are known.
 */
export function metered(request: Request, response: Response, meter: Meter, sent?: (bytes: number) => void): Response {
  if ((response.status !== 200 && response.status !== 206) || request.method !== 'GET' || !response.body) {
    sent?.(0);
    return response;
  }
  const length = response.headers.get('Content-Length');
  if (length !== null && /^\d+$/.test(length)) {
    addBandwidth(meter, Number(length));
    sent?.(Number(length));
    return response;
  }
  let bytes = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
    // Runs once the whole body has gone through: a client that hangs up early is not counted.
    flush() {
      addBandwidth(meter, bytes);
      sent?.(bytes);
    },
  });
  return new Response(response.body.pipeThrough(counter), response);
}

/** One variant made by a transformation (counted once however many requests shared it). */
export function countTransformation(meter: Meter, now = Date.now()): void {
  accumulate(meter.tenantId, utcDay(now), 0, 1);
  timer.schedule(meter.exec, flushInterval(meter.env.USAGE_FLUSH_MS), () => flush(meter.env), now);
}

/** Adds to the isolate's sums and makes sure a flush is on its way, in this request's waitUntil. */
function addBandwidth(meter: Meter, bytes: number, now = Date.now()): void {
  if (bytes <= 0) return;
  accumulate(meter.tenantId, utcDay(now), bytes, 0);
  timer.schedule(meter.exec, flushInterval(meter.env.USAGE_FLUSH_MS), () => flush(meter.env), now);
}

function accumulate(tenantId: string, day: string, bytes: number, transformations: number): void {
  const key = `${tenantId}\n${day}`;
  const entry = pending.get(key);
  if (entry) {
    entry.bytes += bytes;
    entry.transformations += transformations;
  } else pending.set(key, { tenantId, day, bytes, transformations });
}

async function flush(env: MeterEnv): Promise<void> {
  const batch = [...pending.values()];
  pending.clear();
  await Promise.all(
    batch.map(async ({ tenantId, day, bytes, transformations }) => {
      try {
        await libraryOf(env, tenantId).addUsage(day, { bandwidthBytes: bytes, transformations });
      } catch (error) {
        // Kept for the next flush rather than dropped.
        console.error(`usage flush for tenant ${tenantId} failed`, error);
        accumulate(tenantId, day, bytes, transformations);
      }
    }),
  );
}
