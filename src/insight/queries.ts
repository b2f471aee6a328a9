/**
 * The read interface of a tenant's analytics (the `Analytics` object, through analytics-client.ts): hourly or
 * daily sums of every metric over a range, and top-N by dimension over a range or hour by hour. Times are Unix
 * ms; a range includes `from` and excludes `to`; buckets start at UTC hours (or days).
 */
import type { Dimension, StatusClass, Totals } from './event';

export type Granularity = 'hour' | 'day';

/** Rollups are kept by status class and output format, so these filters cost nothing. */
export interface SeriesFilter {
  statusClass?: StatusClass;
  format?: string;
}

export interface SeriesQuery extends SeriesFilter {
  from: number;
  to: number;
  granularity: Granularity;
}

/** One bucket: when it starts (Unix ms) and every metric summed over it; a bucket without traffic is all zeros. */
export interface SeriesPoint extends Totals {
  start: number;
}

export interface TopQuery {
  dimension: Dimension;
  from: number;
  to: number;
  limit: number;
  /** Only values that start with this text (a path prefix, a referrer's host …). */
  prefix?: string;
}

export interface TopEntry {
  value: string;
  /** Requests counted for the value; at most `error` of them may belong to values it replaced (top-n.ts). */
  count: number;
  error: number;
}

export interface TopAnswer {
  /** Requests in the range (every value). */
  total: number;
  entries: TopEntry[];
  /** Requests not in `entries`: the values below the limit and those no counter kept. */
  other: number;
}

/** Top-N of one hour. */
export interface HourTop extends TopAnswer {
  start: number;
}

/** The most a query may span. */
export const MAX_RANGE_MS = 90 * 86_400_000;
/** The most entries a top-N answer may hold. */
export const MAX_TOP_LIMIT = 1000;
