/**
 * Delivery events leave the request here: each isolate keeps them per tenant and sends them to the tenant's
 * `Analytics` object in one batch at most every ANALYTICS_FLUSH_MS (storage/isolate-flush.ts), in waitUntil.
 * What needs work (the user agent's families, the IP's truncation or hash) is done at flush time, off the
 * request. A batch that fails is dropped: analytics lose counts, never a response. ANALYTICS_MODE=off records
 * nothing.
 */
import type { Env } from '../env';
import { FlushTimer, flushInterval } from '../storage/isolate-flush';
import type { AnalyticsSettings } from '../tenants/config';
import { analyticsOf } from './analytics-client';
import { ipHashKey, privateIp, userAgentFamilies } from './client';
import { type DeliveryEvent, MAX_TEXT } from './event';

type RecordEnv = Pick<Env, 'ANALYTICS' | 'CONFIG' | 'ANALYTICS_MODE' | 'ANALYTICS_FLUSH_MS' | 'MASTER_KEY'>;

/** A delivery as the request leaves it: the client's IP whole (it never leaves the isolate so) and the raw user agent. */
export interface Delivered extends Omit<DeliveryEvent, 'ip' | 'browser' | 'os' | 'device'> {
  clientIp: string;
  ipPrivacy: AnalyticsSettings['ipPrivacy'];
}

/** Events one isolate holds for one tenant; beyond this, deliveries go uncounted until the next flush. */
const MAX_PENDING = 5000;
/** A batch this large is sent at once rather than at the timer. */
const SEND_AT = 1000;

const pending = new Map<string, Delivered[]>();
const timer = new FlushTimer();
let dropped = 0;

export const analyticsOff = (env: Pick<Env, 'ANALYTICS_MODE'>) => env.ANALYTICS_MODE === 'off';

export function recordDelivery(env: RecordEnv, exec: ExecutionContext, tenantId: string, delivered: Delivered): void {
  if (analyticsOff(env)) return;
  let list = pending.get(tenantId);
  if (!list) pending.set(tenantId, (list = []));
  if (list.length >= MAX_PENDING) {
    dropped++;
    return;
  }
  list.push(delivered);
  if (list.length >= SEND_AT) {
    pending.delete(tenantId);
    exec.waitUntil(send(env, tenantId, list));
    return;
  }
  timer.schedule(exec, flushInterval(env.ANALYTICS_FLUSH_MS), () => flush(env));
}

/** Deliveries this isolate could not count (its pending batch was full): the operator's hint that flushes lag. */
export const droppedDeliveries = () => dropped;

async function flush(env: RecordEnv): Promise<void> {
  const batches = [...pending];
  pending.clear();
  await Promise.all(batches.map(([tenantId, list]) => send(env, tenantId, list)));
}

async function send(env: RecordEnv, tenantId: string, list: Delivered[]): Promise<void> {
  try {
    const events = await Promise.all(list.map((d) => toEvent(env, tenantId, d)));
    await analyticsOf(env, tenantId).ingest(events);
  } catch (error) {
    dropped += list.length;
    console.error(`analytics batch for tenant ${tenantId} lost`, error);
  }
}

async function toEvent(env: RecordEnv, tenantId: string, d: Delivered): Promise<DeliveryEvent> {
  const { clientIp, ipPrivacy, ...event } = d;
  const userAgent = event.userAgent.slice(0, MAX_TEXT);
  return {
    ...event,
    userAgent,
    ...userAgentFamilies(userAgent),
    ip: await privateIp(clientIp, ipPrivacy, () => hashKeyOf(env, tenantId)),
  };
}

/** Hash keys per tenant, per isolate (deriving one is a few WebCrypto calls). */
const hashKeys = new Map<string, Promise<CryptoKey>>();
const MAX_HASH_KEYS = 1000;

function hashKeyOf(env: RecordEnv, tenantId: string): Promise<CryptoKey> {
  let key = hashKeys.get(tenantId);
  if (!key) {
    if (hashKeys.size >= MAX_HASH_KEYS) hashKeys.clear();
    key = ipHashKey(env.MASTER_KEY, tenantId);
    hashKeys.set(tenantId, key);
  }
  return key;
}
