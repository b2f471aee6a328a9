/**
 * A tenant's alert evaluation, run by its `Analytics` object's hourly alarm (src/durable/analytics.ts): judge the
 * hours that ended since the last run against their seasonal baseline (anomaly.ts), compare the month's usage
 * with the tenant's thresholds and the operator's quotas (usage-alerts.ts), keep the quota block flag current
 * (quota-block.ts), and send what is new as webhooks (through the library's outbox) and mail.
 *
 * Running in the object that holds the rollups keeps it bounded and cheap per tenant: a handful of indexed reads
 * of its own SQLite (the judged hour, the same hour of four earlier weeks, the previous week's totals; a value's
 * hourly counts only when it dominates an hour), one usage read from the library, and nothing at all for tenants
 * without traffic (their object has no alarm). A Cron Trigger would instead have to walk every tenant each hour.
 */
import type { Env } from '../env';
import { libraryOf } from '../library/client';
import { utcDay } from '../library/store/usage';
import { mailerFor } from '../mail/mailer';
import { alertMail } from '../mail/messages';
import { accountsOf } from '../people/client';
import { type AlertSettings, alertSettingsOf, type AnomalySwitch, quotasOf } from '../tenants/alert-settings';
import type { TenantConfig } from '../tenants/config';
import { loadTenant } from '../tenants/store';
import { type Alert, anomalyAlert, usageAlert } from './alert-events';
import {
  type AnomalyState,
  BASELINE_WEEKS,
  detectAnomalies,
  DOMINANCE_DIMENSIONS,
  DOMINANCE_MIN_REQUESTS,
  DOMINANCE_SHARE,
  type HourTotals,
  SHARE_HOURS,
  type TopValue,
  type TrafficHistory,
  WEEK_MS,
} from './anomaly';
import { HOUR_MS } from './event';
import type { HourTop, SeriesPoint, SeriesQuery, TopQuery } from './queries';
import { clearQuotaBlock, periodOf, quotaBlock, setQuotaBlock } from './quota-block';
import { crossings, type MonthUsage, newCrossings, overQuotas } from './usage-alerts';
import { TOP_SLOTS } from './schema';

/** What the evaluation reads of the tenant's analytics (the Analytics object's own methods). */
export interface TrafficSource {
  /** Start of the first hour the rollups hold (ms), or null when they hold none. */
  firstHour(): number | null;
  series(query: SeriesQuery): SeriesPoint[];
  topByHour(query: TopQuery): HourTop[];
}

/** What the evaluation remembers between runs (kept in the Analytics object's storage). */
export interface AlertState {
  /** The last hour judged (its start, ms). */
  lastHour: number | null;
  anomalies: AnomalyState;
  /** The month's crossings already alerted (usage-alerts.ts keys). */
  usage: { period: string; alerted: string[] };
}

/** An hour is judged once it ended this long ago, so the isolates' last batches of it have arrived. */
export const SETTLE_MS = 5 * 60_000;
/** Hours missed (an alarm late or failed) are caught up to this many; older ones are skipped. */
export const MAX_CATCH_UP = 3;

export const initialAlertState = (): AlertState => ({ lastHour: null, anomalies: {}, usage: { period: '', alerted: [] } });

/** Runs one evaluation at `now`; answers the new state and what was sent. */
export async function evaluateTenantAlerts(env: Env, tenantId: string, source: TrafficSource, state: AlertState, now = Date.now()): Promise<{ state: AlertState; sent: Alert[] }> {
  const tenant = await loadTenant(env, tenantId);
  if (!tenant) return { state, sent: [] };
  const settings = alertSettingsOf(tenant);
  const base = originOf(tenant, settings);
  const alerts: Alert[] = [];

  let anomalies = state.anomalies;
  const latest = Math.floor((now - SETTLE_MS) / HOUR_MS) * HOUR_MS - HOUR_MS;
  const firstHour = Math.max(state.lastHour === null ? latest : state.lastHour + HOUR_MS, latest - (MAX_CATCH_UP - 1) * HOUR_MS);
  const since = source.firstHour();
  for (let hour = firstHour; since !== null && hour <= latest; hour += HOUR_MS) {
    const detection = detectAnomalies(historyFor(source, hour, since), hour, anomalies, (kind) => settings.anomalies[kind.split('.')[0] as AnomalySwitch]);
    anomalies = detection.state;
    alerts.push(...detection.alerts.map((finding) => anomalyAlert(finding, base)));
  }

  const period = periodOf(now);
  const usage = await monthUsage(env, tenantId, now);
  const alerted = state.usage.period === period ? state.usage.alerted : [];
  const fresh = newCrossings(crossings(usage, settings, quotasOf(tenant)), alerted);
  alerts.push(...fresh.map((crossing) => usageAlert(crossing, period, base)));
  await refreshQuotaBlock(env, tenant, usage, now);

  for (const alert of alerts) await sendAlert(env, tenant, settings, alert);
  return {
    state: { lastHour: Math.max(latest, state.lastHour ?? latest), anomalies, usage: { period, alerted: [...alerted, ...fresh.map((c) => c.key)] } },
    sent: alerts,
  };
}

/**
 * What the detector needs to judge `hour`: that hour and the previous week hour by hour, the same hour of the
 * earlier weeks, and, for a referrer, IP or path with most of the hour, its counts over the previous week.
 */
export function historyFor(source: TrafficSource, hour: number, since: number): TrafficHistory {
  const ranges: Array<[number, number]> = [[hour - SHARE_HOURS * HOUR_MS, hour + HOUR_MS]];
  for (let week = 2; week <= BASELINE_WEEKS; week++) ranges.push([hour - week * WEEK_MS, hour - week * WEEK_MS + HOUR_MS]);
  const hours = ranges.flatMap(([from, to]) => source.series({ from, to, granularity: 'hour' }).map(totalsOf));
  const total = hours.find((h) => h.hour === hour)?.requests ?? 0;
  const top: TopValue[] = [];
  for (const dimension of DOMINANCE_DIMENSIONS) {
    if (total < DOMINANCE_MIN_REQUESTS) break;
    const leader = source.topByHour({ dimension, from: hour, to: hour + HOUR_MS, limit: 1 })[0]?.entries[0];
    if (!leader || leader.count / total < DOMINANCE_SHARE) continue;
    top.push({ hour, dimension, value: leader.value, requests: leader.count });
    // Only a value that dominates this hour is looked up in the earlier hours (its prefix, then exactly).
    for (const earlier of source.topByHour({ dimension, from: hour - SHARE_HOURS * HOUR_MS, to: hour, limit: TOP_SLOTS, prefix: leader.value })) {
      const same = earlier.entries.find((e) => e.value === leader.value);
      if (same) top.push({ hour: earlier.start, dimension, value: same.value, requests: same.count });
    }
  }
  return { hours, top, since };
}

const totalsOf = (p: SeriesPoint): HourTotals => ({ hour: p.start, requests: p.requests, bandwidthBytes: p.bandwidth, errors: p.errors, refusals: p.refusals });

/** This month's usage so far (UTC), from the library's ledger; storage as it is now. */
export async function monthUsage(env: Env, tenantId: string, now: number): Promise<MonthUsage> {
  const usage = await libraryOf(env, tenantId).usage(`${periodOf(now)}-01`, utcDay(now));
  return { bandwidthBytes: usage.bandwidthBytes, storageBytes: usage.storageBytes, transformations: usage.transformations, videoMinutes: usage.videoSeconds / 60 };
}

/** Sets the block flag when a quota whose consequence is `block` is reached this month, and clears it otherwise. */
export async function refreshQuotaBlock(env: Env, tenant: TenantConfig, usage: MonthUsage, now: number): Promise<void> {
  const quotas = quotasOf(tenant);
  const over = quotas.over === 'block' ? overQuotas(usage, quotas)[0] : undefined;
  if (over) await setQuotaBlock(env, tenant.id, { period: periodOf(now), metric: over.metric, limit: over.threshold, observed: over.observed });
  else if (await quotaBlock(env, tenant.id, now)) await clearQuotaBlock(env, tenant.id);
}

/** The webhook goes through the library's outbox (retried, signed); mail goes now, and a failed one is logged. */
async function sendAlert(env: Env, tenant: TenantConfig, settings: AlertSettings, alert: Alert): Promise<void> {
  await libraryOf(env, tenant.id).notify({ type: alert.type, payload: { data: alert.data } });
  if (!settings.email) return;
  const mailer = mailerFor(env);
  for (const to of await recipientsOf(env, tenant.id, settings)) {
    try {
      await mailer.send(alertMail(to, tenant.id, alert.title, alert.lines, alert.link));
    } catch (error) {
      console.error(`alert mail to a recipient of ${tenant.id} failed`, error);
    }
  }
}

async function recipientsOf(env: Env, tenantId: string, settings: AlertSettings): Promise<string[]> {
  if (settings.recipients !== 'owners') return settings.recipients;
  const users = await accountsOf(env, tenantId).listUsers();
  return users.filter((u) => u.role === 'owner' && u.status === 'active').map((u) => u.email);
}

/** Where links point: the origin the alert settings were saved from, else the webhook's, else relative. */
function originOf(tenant: TenantConfig, settings: AlertSettings): string {
  if (settings.origin) return settings.origin;
  return tenant.webhook ? new URL(tenant.webhook.urlEndpoint).origin : '';
}
