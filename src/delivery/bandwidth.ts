/**
 * Bandwidth accounting for /v1/accounts/usage. Delivered bytes are counted as they are sent (a known
 * Content-Length, else a counting stream: the body is never buffered), summed per isolate, and written to
 * the tenant's library at most every USAGE_FLUSH_MS, so the library's Durable Object does not take one write
 * per delivered request. Bytes an isolate still holds when it is evicted are lost: usage is a close
 * estimate, not a ledger.
 */
import type { Env } from '../env';
import { libraryOf } from '../library/client';
import { utcDay } from '../library/store/usage';

const DEFAULT_FLUSH_MS = 10_000;
/** waitUntil work may run only about 30 s past the response: a longer wait would never reach its flush. */
const MAX_FLUSH_MS = 20_000;

type MeterEnv = Pick<Env, 'MEDIA_LIBRARY' | 'CONFIG' | 'USAGE_FLUSH_MS'>;

export interface Meter {
  env: MeterEnv;
  exec: ExecutionContext;
  tenantId: string;
}

/** Bytes not yet written, per tenant and UTC day. */
const pending = new Map<string, { tenantId: string; day: string; bytes: number }>();
/** When the scheduled flush is due; null when none is scheduled. */
let flushDueAt: number | null = null;

/** The response, with its body counted towards the tenant's bandwidth. Only GET bodies count, whole (200) or partial (206). */
export function metered(request: Request, response: Response, meter: Meter): Response {
  if ((response.status !== 200 && response.status !== 206) || request.method !== 'GET' || !response.body) return response;
  const length = response.headers.get('Content-Length');
  if (length !== null && /^\d+$/.test(length)) {
    addBandwidth(meter, Number(length));
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
    },
  });
  return new Response(response.body.pipeThrough(counter), response);
}

/** Adds to the isolate's sums and makes sure a flush is on its way, in this request's waitUntil. */
function addBandwidth(meter: Meter, bytes: number, now = Date.now()): void {
  if (bytes <= 0) return;
  accumulate(meter.tenantId, utcDay(now), bytes);
  // A flush is already coming, unless its waitUntil was cut short (then its due time is long past).
  if (flushDueAt !== null && now < flushDueAt + MAX_FLUSH_MS) return;
  const delay = flushInterval(meter.env);
  flushDueAt = now + delay;
  meter.exec.waitUntil(sleep(delay).then(() => flush(meter.env)));
}

function accumulate(tenantId: string, day: string, bytes: number): void {
  const key = `${tenantId}\n${day}`;
  const entry = pending.get(key);
  if (entry) entry.bytes += bytes;
  else pending.set(key, { tenantId, day, bytes });
}

async function flush(env: MeterEnv): Promise<void> {
  flushDueAt = null;
  const batch = [...pending.values()];
  pending.clear();
  await Promise.all(
    batch.map(async ({ tenantId, day, bytes }) => {
      try {
        await libraryOf(env, tenantId).addBandwidth(day, bytes);
      } catch (error) {
        // Kept for the next flush rather than dropped.
        console.error(`bandwidth flush for tenant ${tenantId} failed`, error);
        accumulate(tenantId, day, bytes);
      }
    }),
  );
}

function flushInterval(env: Pick<Env, 'USAGE_FLUSH_MS'>): number {
  const raw = env.USAGE_FLUSH_MS;
  return Math.min(typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : DEFAULT_FLUSH_MS, MAX_FLUSH_MS);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
