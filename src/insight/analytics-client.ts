/**
 * The one way into a tenant's `Analytics` object (durable/analytics.ts). Reading: `series` (every metric per
 * hour or day of a range, optionally for one status class or output format), `top` (a dimension's most frequent
 * values over a range) and `topByHour` (the same, hour by hour). Writing is the isolate's batch (record.ts).
 */
import type { Env } from '../env';
import { tenantStub } from '../durable/tenant-stub';

export type { DeliveryEvent, Dimension, Metric, StatusClass, Totals } from './event';
export { DIMENSIONS, METRICS, STATUS_CLASSES } from './event';
export type { Granularity, HourTop, SeriesPoint, SeriesQuery, TopAnswer, TopEntry, TopQuery } from './queries';
export { MAX_RANGE_MS, MAX_TOP_LIMIT } from './queries';

/** In the tenant's jurisdiction, like every object of a tenant (durable/tenant-stub.ts). */
export function analyticsOf(env: Pick<Env, 'ANALYTICS' | 'CONFIG'>, tenantId: string) {
  return tenantStub('Analytics', env, env.ANALYTICS, tenantId);
}
