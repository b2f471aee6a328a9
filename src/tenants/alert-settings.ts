/**
 * What a tenant is alerted about (`/v1/accounts/alerts`) and the quotas the operator sets on it
 * (`/admin/v1/tenants/:id/quotas`), as stored in its config, with the checks their bodies go through.
 */
import { email } from '../people/fields';
import { badField, boolean, integer, integerList, isObject, oneOf, type Check } from '../validate/fields';

/** Anomaly switches, one per metric the detector judges (src/insight/anomaly.ts). */
export const ANOMALY_SWITCHES = ['requests', 'bandwidth', 'errorRate', 'refusals', 'referrer', 'ip', 'path'] as const;
export type AnomalySwitch = (typeof ANOMALY_SWITCHES)[number];

/** What usage thresholds and quotas count, per calendar month (UTC); storage is the level now. */
export const USAGE_METRICS = ['bandwidthBytes', 'storageBytes', 'transformations', 'videoMinutes'] as const;
export type UsageMetric = (typeof USAGE_METRICS)[number];

export const MAX_THRESHOLDS = 5;
export const MAX_RECIPIENTS = 10;

export interface AlertSettings {
  anomalies: Record<AnomalySwitch, boolean>;
  /** Per metric, the values whose crossing alerts (once per threshold per month), ascending. */
  usage: Record<UsageMetric, number[]>;
  /** Whether alerts are also mailed (webhooks go whenever a webhook is set). */
  email: boolean;
  /** `"owners"`: the account's active owners; or the listed addresses. */
  recipients: 'owners' | string[];
  /** The deployment's origin when the settings were saved: the base of the links in alerts. */
  origin: string | null;
}

export type OverQuota = 'alert' | 'block';

/** The operator's monthly quotas: null is no quota. Over one, `block` refuses new transformations (429). */
export interface Quotas {
  limits: Record<UsageMetric, number | null>;
  over: OverQuota;
}

export function defaultAlertSettings(): AlertSettings {
  return {
    anomalies: Object.fromEntries(ANOMALY_SWITCHES.map((k) => [k, true])) as Record<AnomalySwitch, boolean>,
    usage: Object.fromEntries(USAGE_METRICS.map((m) => [m, []])) as unknown as Record<UsageMetric, number[]>,
    email: true,
    recipients: 'owners',
    origin: null,
  };
}

export function defaultQuotas(): Quotas {
  return { limits: Object.fromEntries(USAGE_METRICS.map((m) => [m, null])) as Record<UsageMetric, number | null>, over: 'alert' };
}

const threshold = integerList(MAX_THRESHOLDS, 1, Number.MAX_SAFE_INTEGER);

/**
 * The settings a PUT body describes: every key it names replaces the stored one, keys it leaves out keep their
 * defaults. An unknown key or a bad value is a 400 naming the field (`usage.bandwidthBytes[1]`).
 */
export function parseAlertSettings(body: Record<string, unknown>, origin: string): AlertSettings {
  const settings = defaultAlertSettings();
  settings.origin = origin;
  for (const key of Object.keys(body)) {
    if (!['anomalies', 'usage', 'email', 'recipients'].includes(key)) throw badField(key, 'one of anomalies, usage, email, recipients');
  }
  if (body.anomalies !== undefined) {
    settings.anomalies = { ...settings.anomalies, ...section(body.anomalies, 'anomalies', ANOMALY_SWITCHES, boolean) };
  }
  if (body.usage !== undefined) settings.usage = { ...settings.usage, ...section(body.usage, 'usage', USAGE_METRICS, threshold) };
  if (body.email !== undefined) settings.email = boolean(body.email, 'email');
  if (body.recipients !== undefined) settings.recipients = recipients(body.recipients, 'recipients');
  return settings;
}

/** A quotas body: the limits it names replace the stored ones (null removes one); `over` likewise. */
export function parseQuotas(body: Record<string, unknown>, current: Quotas): Quotas {
  const limits = { ...current.limits };
  let over = current.over;
  for (const [key, value] of Object.entries(body)) {
    if (key === 'over') over = oneOf<OverQuota>(['alert', 'block'])(value, 'over');
    else if ((USAGE_METRICS as readonly string[]).includes(key)) limits[key as UsageMetric] = integer(1, Number.MAX_SAFE_INTEGER, { nullable: true })(value, key);
    else throw badField(key, `one of ${[...USAGE_METRICS, 'over'].join(', ')}`);
  }
  return { limits, over };
}

function section<K extends string, T>(value: unknown, field: string, keys: readonly K[], check: Check<T>): Partial<Record<K, T>> {
  if (!isObject(value)) throw badField(field, `an object with keys among ${keys.join(', ')}`);
  const out: Partial<Record<K, T>> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (!(keys as readonly string[]).includes(key)) throw badField(`${field}.${key}`, `one of ${keys.join(', ')}`);
    out[key as K] = check(entry, `${field}.${key}`);
  }
  return out;
}

function recipients(value: unknown, field: string): 'owners' | string[] {
  if (value === 'owners') return value;
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_RECIPIENTS) {
    throw badField(field, `"owners" or an array of 1 to ${MAX_RECIPIENTS} email addresses`);
  }
  return [...new Set(value.map((entry, i) => email(entry, `${field}[${i}]`)))];
}

/** A config's alert settings, the defaults when it has none yet. */
export const alertSettingsOf = (config: { alerts?: AlertSettings }): AlertSettings => config.alerts ?? defaultAlertSettings();
export const quotasOf = (config: { quotas?: Quotas }): Quotas => config.quotas ?? defaultQuotas();
