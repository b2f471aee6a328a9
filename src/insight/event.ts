/**
 * One delivery as analytics keeps it, and the names the read interface uses: the dimensions top-N counts by and
 * the metrics every hour sums. Both the Worker (which makes events) and the `Analytics` object (which stores
 * them) read this file; the API and alerts read the same names.
 */

/** Why a delivery was refused ('' when it was not): one entry per refusing stage in delivery/pipeline.ts's REFUSALS. */
export type RefusalReason = '' | 'access' | 'rate_limit' | 'signature' | 'unnamed' | 'limit' | 'private' | 'blocked' | 'quota' | (string & {});

/** Where the answer came from, as delivery knows it: the edge cache, the R2 derived store, a miss, or neither. */
export type CacheTier = 'edge' | 'r2' | 'miss' | 'none';

export interface DeliveryEvent {
  /** Unix ms. */
  at: number;
  /** File path inside the tenant (at most MAX_TEXT characters). */
  path: string;
  status: number;
  cache: CacheTier;
  /** Output format (jpeg, webp, avif, png, gif, …), or '' when nothing was delivered. */
  format: string;
  bytes: number;
  /** Host of the Referer, lower case, or ''. */
  referrer: string;
  /** The client's IP as the tenant's privacy setting keeps it: a /24 or /48 network, a keyed hash, or whole. */
  ip: string;
  /** ISO 3166 code from Cloudflare, or ''. */
  country: string;
  userAgent: string;
  browser: string;
  os: string;
  /** desktop, mobile, tablet, tv, bot or unknown. */
  device: string;
  /** Milliseconds of decode, transform and encode (0 in production, where the clock stands still during CPU work). */
  cpuMs: number;
  /** A new variant was made. */
  transformed: boolean;
  refusal: RefusalReason;
}

/** Longest text kept for a path, user agent or referrer: an attacker's long URLs do not make long rows. */
export const MAX_TEXT = 256;

/** What top-N counts by. `status` is the exact code; the rest are the event's field of the same name. */
export const DIMENSIONS = ['referrer', 'ip', 'userAgent', 'browser', 'os', 'device', 'country', 'format', 'status', 'path', 'refusal', 'cache'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** What every hour sums. */
export const METRICS = ['requests', 'bandwidth', 'errors', 'refusals', 'hits', 'misses', 'transformations', 'cpuMs'] as const;
export type Metric = (typeof METRICS)[number];

export type Totals = Record<Metric, number>;

/** Status classes hourly rollups are kept by (and the API filters on). */
export const STATUS_CLASSES = ['2xx', '3xx', '4xx', '5xx'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

export const statusClass = (status: number): StatusClass =>
  status >= 500 ? '5xx' : status >= 400 ? '4xx' : status >= 300 ? '3xx' : '2xx';

/** The value an event has in a dimension, as top-N stores it. */
export function dimensionValue(event: DeliveryEvent, dimension: Dimension): string {
  return dimension === 'status' ? String(event.status) : String(event[dimension]);
}

/** What one event adds to its hour. An error is a failed delivery that was not a refusal (404, 5xx, a bad URL). */
export function eventTotals(event: DeliveryEvent): Totals {
  return {
    requests: 1,
    bandwidth: event.bytes,
    errors: event.status >= 400 && !event.refusal ? 1 : 0,
    refusals: event.refusal ? 1 : 0,
    hits: event.cache === 'edge' || event.cache === 'r2' ? 1 : 0,
    misses: event.cache === 'miss' ? 1 : 0,
    transformations: event.transformed ? 1 : 0,
    cpuMs: event.cpuMs,
  };
}

export const HOUR_MS = 3_600_000;
export const hourOf = (ms: number) => Math.floor(ms / HOUR_MS);
