/**
 * Usage against the tenant's thresholds and the operator's quotas, per calendar month (UTC). Pure: which
 * thresholds this month's usage has reached that have not alerted yet this month, and which quota it is over.
 * Storage is a level, not a sum: it is compared as it is now, and still alerts at most once a month per threshold.
 */
import type { AlertSettings, OverQuota, Quotas, UsageMetric } from '../tenants/alert-settings';
import { USAGE_METRICS } from '../tenants/alert-settings';

export type MonthUsage = Record<UsageMetric, number>;

export interface Crossing {
  metric: UsageMetric;
  /** `threshold`: one the tenant set; `quota`: the operator's. */
  source: 'threshold' | 'quota';
  threshold: number;
  observed: number;
  /** For a quota: what happens over it. */
  over?: OverQuota;
  /** Identifies it within its period, for "once per threshold per period". */
  key: string;
}

/** What usage has reached, tenant thresholds (ascending) then quotas. */
export function crossings(usage: MonthUsage, settings: AlertSettings, quotas: Quotas): Crossing[] {
  const found: Crossing[] = [];
  for (const metric of USAGE_METRICS) {
    for (const threshold of settings.usage[metric]) {
      if (usage[metric] >= threshold) found.push({ metric, source: 'threshold', threshold, observed: usage[metric], key: `threshold:${metric}:${threshold}` });
    }
  }
  for (const quota of overQuotas(usage, quotas)) found.push(quota);
  return found;
}

/** The quotas usage has reached (a quota is reached at its value: from then on, no more). */
export function overQuotas(usage: MonthUsage, quotas: Quotas): Crossing[] {
  return USAGE_METRICS.flatMap((metric) => {
    const limit = quotas.limits[metric];
    if (limit === null || usage[metric] < limit) return [];
    return [{ metric, source: 'quota' as const, threshold: limit, observed: usage[metric], over: quotas.over, key: `quota:${metric}:${limit}` }];
  });
}

/** Which crossings alert now: those not yet alerted in this period. */
export function newCrossings(found: Crossing[], alerted: readonly string[]): Crossing[] {
  const seen = new Set(alerted);
  return found.filter((c) => !seen.has(c.key));
}
