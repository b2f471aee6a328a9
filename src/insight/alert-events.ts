/**
 * An alert as it leaves: the `data` of its Standard Webhooks event (`alert.traffic_anomaly`,
 * `alert.usage_threshold`) with the numbers that triggered it and links to the breakdown, and the same facts as
 * the lines of a mail.
 */
import type { UsageMetric } from '../tenants/alert-settings';
import type { Finding } from './anomaly';
import { HOUR_MS } from './event';
import type { Crossing } from './usage-alerts';

export interface Alert {
  type: 'alert.traffic_anomaly' | 'alert.usage_threshold';
  data: Record<string, unknown>;
  title: string;
  lines: string[];
  /** The dashboard's view of the breakdown. */
  link: string;
}

/** How far back the linked time series starts: a week shows the hour against its weekly rhythm. */
const CONTEXT_MS = 7 * 24 * HOUR_MS;

const METRIC_OF_KIND: Record<string, string> = { requests: 'requests', bandwidth: 'bandwidth', refusals: 'refusals', errorRate: 'errors' };
const DESCRIBED: Record<string, string> = {
  'requests.spike': 'Requests spiked',
  'requests.drop': 'Requests dropped',
  'bandwidth.spike': 'Bandwidth spiked',
  'bandwidth.drop': 'Bandwidth dropped',
  'refusals.spike': 'Refused requests spiked',
  'errorRate.spike': 'The error rate spiked',
  'referrer.dominant': 'One referrer dominates the traffic',
  'ip.dominant': 'One IP address dominates the traffic',
  'path.dominant': 'One path dominates the traffic',
};

/** `base` is the deployment's origin ('' leaves the links relative). */
export function anomalyAlert(finding: Finding, base: string): Alert {
  const start = new Date(finding.hour).toISOString();
  const end = new Date(finding.hour + HOUR_MS).toISOString();
  const dominance = finding.value !== undefined;
  // The analytics API takes ISO 8601 times.
  const range = `from=${start}&to=${end}`;
  const api = dominance
    ? `${base}/v1/accounts/analytics/top?dimension=${finding.metric}&${range}&limit=10`
    : `${base}/v1/accounts/analytics/timeseries?metric=${METRIC_OF_KIND[finding.metric]}&from=${new Date(finding.hour - CONTEXT_MS).toISOString()}&to=${end}&granularity=hour`;
  const link = `${base}/app/analytics?${range}${dominance ? `&dimension=${finding.metric}` : ''}`;
  const data = {
    kind: finding.kind,
    metric: finding.metric,
    window: { start, end },
    observed: finding.observed,
    baseline: finding.baseline,
    deviation: finding.deviation,
    ...(dominance
      ? { method: 'share of the hour against its median share over the previous hours', value: finding.value, requests: finding.requests, hoursCompared: finding.samples }
      : { method: 'median and MAD of the same hour in previous weeks', weeksCompared: finding.samples }),
    breakdown: { api, dashboard: link },
  };
  const lines = dominance
    ? [`${finding.metric} "${finding.value}" had ${pct(finding.observed)} of the requests (${finding.requests}) from ${start} to ${end}; usually ${pct(finding.baseline)}.`]
    : [
        `${finding.metric} from ${start} to ${end}: ${fmt(finding.observed)}, against ${fmt(finding.baseline)} for this hour in the previous ${finding.samples} weeks (${finding.deviation} robust deviations).`,
      ];
  return { type: 'alert.traffic_anomaly', data, title: DESCRIBED[finding.kind] ?? finding.kind, lines, link };
}

const USAGE_NAMES: Record<UsageMetric, string> = {
  bandwidthBytes: 'Bandwidth (bytes)',
  storageBytes: 'Storage (bytes)',
  transformations: 'Transformations',
  videoMinutes: 'Video minutes',
};

/** `period` is the month, `YYYY-MM`. */
export function usageAlert(crossing: Crossing, period: string, base: string): Alert {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const startDate = `${period}-01`;
  const endDate = new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
  const link = `${base}/app/usage`;
  const quota = crossing.source === 'quota';
  const data = {
    metric: crossing.metric,
    source: crossing.source,
    threshold: crossing.threshold,
    observed: crossing.observed,
    period,
    ...(quota ? { over: crossing.over } : {}),
    breakdown: { api: `${base}/v1/accounts/usage?startDate=${startDate}&endDate=${endDate}`, dashboard: link },
  };
  const name = USAGE_NAMES[crossing.metric];
  const lines = [`${name} this month (${period}): ${fmt(crossing.observed)}, ${quota ? 'at or over the quota of' : 'past the threshold of'} ${fmt(crossing.threshold)}.`];
  if (quota && crossing.over === 'block') lines.push('New transformations are refused (429) until the month ends or the quota is raised; images already made keep being served.');
  const title = quota ? `${name} reached its quota` : `${name} passed ${fmt(crossing.threshold)}`;
  return { type: 'alert.usage_threshold', data, title, lines, link };
}

const pct = (share: number) => `${Math.round(share * 1000) / 10}%`;
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(3));
