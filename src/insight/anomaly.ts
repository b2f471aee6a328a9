/**
 * Traffic anomalies of one tenant, judged one hour at a time. Pure: it takes the hourly history and the state of
 * earlier judgements, and answers which alerts to raise and the state to keep.
 *
 * The baseline of an hour is the same hour of the same weekday over the previous weeks (a Monday 09:00 is
 * compared with the Mondays 09:00 before it), so a weekly rhythm is never an anomaly. Of those few samples we take
 * the median and the median absolute deviation (MAD) rather than a seasonal EWMA: with one sample per week per
 * slot, an EWMA needs months to warm up and one past flood or holiday drags its mean for weeks, while the median
 * ignores up to half the samples being odd and the MAD measures how much this slot usually varies without being
 * inflated by them. An hour is anomalous only when it is far from the median both in robust deviations
 * (|observed − median| / (1.4826·MAD)) and as a ratio, and above a minimum volume, so a slow ramp (a few percent
 * a week), a noisy small tenant or a slot whose history is nearly flat does not alert.
 *
 * Each kind (`requests.spike`, `ip.dominant`, …) raises at most one alert per episode — a run of anomalous hours,
 * ended only by an hour judged normal (hours too small to judge neither continue nor end it) — and at most one per
 * COOLDOWN_MS: a holiday's drop alerts once, not every hour of it.
 */
import { HOUR_MS } from './event';

export const WEEK_MS = 7 * 24 * HOUR_MS;
/** How many previous weeks give the baseline; at least MIN_WEEKS of them must lie within the history. */
export const BASELINE_WEEKS = 4;
export const MIN_WEEKS = 3;
/** Most one kind alerts: once in this long, however often its episodes start. */
export const COOLDOWN_MS = 24 * HOUR_MS;
/** The usual share of a referrer, IP or path is read over this many previous hours (with traffic). */
export const SHARE_HOURS = 7 * 24;
const MIN_SHARE_HOURS = 24;

/** One UTC hour of a tenant's delivery, as the analytics rollups count it. */
export interface HourTotals {
  /** Start of the hour, ms since the epoch. */
  hour: number;
  requests: number;
  bandwidthBytes: number;
  /** Answers with a 5xx or a 4xx other than a refusal. */
  errors: number;
  /** Refused by access rules, rate limits, signatures, limits or quotas. */
  refusals: number;
}

export const DOMINANCE_DIMENSIONS = ['referrer', 'ip', 'path'] as const;
export type DominanceDimension = (typeof DOMINANCE_DIMENSIONS)[number];

/** One of an hour's top values of a dimension (the rollups keep a bounded top-N per hour). */
export interface TopValue {
  hour: number;
  dimension: DominanceDimension;
  value: string;
  requests: number;
}

export interface TrafficHistory {
  /** Hours with traffic; a missing hour from `since` on counts as none. Hours before `since` are unknown. */
  hours: HourTotals[];
  top: TopValue[];
  /** The first hour the analytics hold (ms); the earliest of `hours` when not given. */
  since?: number;
}

export type CountMetric = 'requests' | 'bandwidth' | 'refusals';
export type AnomalyMetric = CountMetric | 'errorRate' | DominanceDimension;
export type AnomalyKind = `${CountMetric}.spike` | `${'requests' | 'bandwidth'}.drop` | 'errorRate.spike' | `${DominanceDimension}.dominant`;

/** The numbers that made an hour anomalous, as the alert reports them. */
export interface Finding {
  kind: AnomalyKind;
  metric: AnomalyMetric;
  /** Start of the judged hour (ms); the window is one hour. */
  hour: number;
  observed: number;
  /** The median of the same hour in the previous weeks; for dominance, the value's usual share of an hour. */
  baseline: number;
  /** Robust deviations from the baseline (count metrics and error rate); for dominance, share − usual share. */
  deviation: number;
  /** How many past samples the baseline is made of (weeks, or hours for dominance). */
  samples: number;
  /** Dominance only: which referrer, IP or path, and its requests. */
  value?: string;
  requests?: number;
}

type Judgement = { kind: AnomalyKind; verdict: 'anomalous'; finding: Finding } | { kind: AnomalyKind; verdict: 'normal' | 'unknown' };

/** When a count metric's hour is anomalous. */
interface CountRule {
  metric: CountMetric;
  read: (h: HourTotals) => number;
  /** A spike's observed value, and a drop's baseline, must reach this: smaller numbers are noise. */
  minVolume: number;
  drops: boolean;
}

/** Robust deviations an hour must be away from its baseline. */
export const MIN_DEVIATION = 4;
/** …and how far as a ratio: a spike at least twice the baseline, a drop at most half of it. */
export const SPIKE_RATIO = 2;
export const DROP_RATIO = 0.5;
/** The spread is never taken below this fraction of the median: a flat history does not make every wiggle huge. */
const MIN_RELATIVE_SPREAD = 0.1;
/** 1.4826·MAD estimates the standard deviation of normally distributed samples. */
const MAD_SCALE = 1.4826;

export const COUNT_RULES: readonly CountRule[] = [
  { metric: 'requests', read: (h) => h.requests, minVolume: 200, drops: true },
  { metric: 'bandwidth', read: (h) => h.bandwidthBytes, minVolume: 50 * 1024 * 1024, drops: true },
  // Fewer refusals or errors is good news: only their rises alert.
  { metric: 'refusals', read: (h) => h.refusals, minVolume: 50, drops: false },
];

/** The error rate is judged only on hours with this many requests and errors. */
export const ERROR_RATE_MIN_REQUESTS = 200;
export const ERROR_RATE_MIN_ERRORS = 20;
/** …and must rise at least this much in absolute terms (5 percentage points) besides the deviation and ratio. */
const ERROR_RATE_MIN_RISE = 0.05;

/** A value dominates when it has at least this share of an hour of at least DOMINANCE_MIN_REQUESTS… */
export const DOMINANCE_SHARE = 0.5;
export const DOMINANCE_MIN_REQUESTS = 200;
/** …and its share is this far above its usual share (the median of its share over the previous SHARE_HOURS). */
export const DOMINANCE_RISE = 0.3;

export interface KindState {
  /** Inside an episode: an anomalous hour was seen and no normal hour since. */
  active: boolean;
  /** When this kind last alerted (the judged hour's start), or null. */
  firedAt: number | null;
}
export type AnomalyState = Partial<Record<AnomalyKind, KindState>>;

/** The kinds a tenant turned off are not judged (their state stays as it was). */
export type KindSwitch = (kind: AnomalyKind) => boolean;

export interface Detection {
  alerts: Finding[];
  state: AnomalyState;
}

/** Judges the hour starting at `hour` against the history and answers the alerts to raise and the new state. */
export function detectAnomalies(history: TrafficHistory, hour: number, state: AnomalyState, enabled: KindSwitch = () => true): Detection {
  const next: AnomalyState = { ...state };
  const alerts: Finding[] = [];
  for (const judgement of judgeHour(history, hour)) {
    if (!enabled(judgement.kind)) continue;
    const before = next[judgement.kind] ?? { active: false, firedAt: null };
    if (judgement.verdict !== 'anomalous') {
      if (judgement.verdict === 'normal') next[judgement.kind] = { ...before, active: false };
      continue;
    }
    const fires = !before.active && (before.firedAt === null || hour - before.firedAt >= COOLDOWN_MS);
    next[judgement.kind] = { active: true, firedAt: fires ? hour : before.firedAt };
    if (fires) alerts.push(judgement.finding);
  }
  return { alerts, state: next };
}

/** Every kind's verdict on one hour. */
export function judgeHour(history: TrafficHistory, hour: number): Judgement[] {
  const byHour = new Map(history.hours.map((h) => [h.hour, h]));
  const first = history.since ?? history.hours.reduce((min, h) => Math.min(min, h.hour), Number.POSITIVE_INFINITY);
  // An hour before the history begins is unknown; after it, an hour without a row had no traffic.
  const at = (t: number): HourTotals | undefined => (t < first ? undefined : (byHour.get(t) ?? { hour: t, requests: 0, bandwidthBytes: 0, errors: 0, refusals: 0 }));
  const current = at(hour);
  const past: HourTotals[] = [];
  for (let week = 1; week <= BASELINE_WEEKS; week++) {
    const sample = at(hour - week * WEEK_MS);
    if (sample) past.push(sample);
  }
  const seasonal = current && past.length >= MIN_WEEKS ? past : null;
  return [
    ...COUNT_RULES.flatMap((rule) => judgeCount(rule, current, seasonal, hour)),
    judgeErrorRate(current, seasonal, hour),
    ...DOMINANCE_DIMENSIONS.map((dimension) => judgeDominance(history, byHour, first, dimension, hour)),
  ];
}

function judgeCount(rule: CountRule, current: HourTotals | undefined, past: HourTotals[] | null, hour: number): Judgement[] {
  const spike: AnomalyKind = `${rule.metric}.spike`;
  const drop = `${rule.metric}.drop` as AnomalyKind;
  const kinds = rule.drops ? [spike, drop] : [spike];
  if (!current || !past) return kinds.map((kind) => ({ kind, verdict: 'unknown' }));
  const observed = rule.read(current);
  const { median, spread } = robustBaseline(past.map(rule.read));
  const deviation = (observed - median) / spread;
  const finding = (kind: AnomalyKind): Finding => ({ kind, metric: rule.metric, hour, observed, baseline: median, deviation: round(deviation), samples: past.length });

  const judgements: Judgement[] = [];
  // A spike needs volume now; below it the hour is too small to tell either way.
  if (observed < rule.minVolume) judgements.push({ kind: spike, verdict: 'unknown' });
  else if (deviation >= MIN_DEVIATION && observed >= SPIKE_RATIO * median) judgements.push({ kind: spike, verdict: 'anomalous', finding: finding(spike) });
  else judgements.push({ kind: spike, verdict: 'normal' });
  if (rule.drops) {
    // A drop needs volume in the baseline: losing most of a handful of requests is not news.
    if (median < rule.minVolume) judgements.push({ kind: drop, verdict: 'unknown' });
    else if (deviation <= -MIN_DEVIATION && observed <= DROP_RATIO * median) judgements.push({ kind: drop, verdict: 'anomalous', finding: finding(drop) });
    else judgements.push({ kind: drop, verdict: 'normal' });
  }
  return judgements;
}

function judgeErrorRate(current: HourTotals | undefined, past: HourTotals[] | null, hour: number): Judgement {
  const kind = 'errorRate.spike';
  if (!current || !past || current.requests < ERROR_RATE_MIN_REQUESTS || current.errors < ERROR_RATE_MIN_ERRORS) return { kind, verdict: 'unknown' };
  const rate = (h: HourTotals) => (h.requests > 0 ? h.errors / h.requests : 0);
  const observed = rate(current);
  // Rates have no natural floor of their own: the spread is kept at least a percentage point.
  const { median, spread } = robustBaseline(past.map(rate), 0.01);
  const deviation = (observed - median) / spread;
  const anomalous = deviation >= MIN_DEVIATION && observed >= SPIKE_RATIO * median && observed - median >= ERROR_RATE_MIN_RISE;
  if (!anomalous) return { kind, verdict: 'normal' };
  return { kind, verdict: 'anomalous', finding: { kind, metric: 'errorRate', hour, observed: round(observed), baseline: round(median), deviation: round(deviation), samples: past.length } };
}

function judgeDominance(history: TrafficHistory, byHour: Map<number, HourTotals>, first: number, dimension: DominanceDimension, hour: number): Judgement {
  const kind: AnomalyKind = `${dimension}.dominant`;
  const total = byHour.get(hour)?.requests ?? 0;
  if (total < DOMINANCE_MIN_REQUESTS) return { kind, verdict: 'unknown' };
  const top = history.top
    .filter((t) => t.hour === hour && t.dimension === dimension)
    .reduce<TopValue | null>((best, t) => (best && best.requests >= t.requests ? best : t), null);
  if (!top || top.requests / total < DOMINANCE_SHARE) return { kind, verdict: 'normal' };
  // Its usual share: over the previous hours with traffic; an hour whose top-N does not name it counts as 0.
  const shares: number[] = [];
  for (let t = hour - SHARE_HOURS * HOUR_MS; t < hour; t += HOUR_MS) {
    const requests = t >= first ? (byHour.get(t)?.requests ?? 0) : 0;
    if (requests === 0) continue;
    const seen = history.top.find((v) => v.hour === t && v.dimension === dimension && v.value === top.value);
    shares.push((seen?.requests ?? 0) / requests);
  }
  if (shares.length < MIN_SHARE_HOURS) return { kind, verdict: 'unknown' };
  const share = top.requests / total;
  const usual = median(shares);
  if (share - usual < DOMINANCE_RISE) return { kind, verdict: 'normal' };
  return {
    kind,
    verdict: 'anomalous',
    finding: { kind, metric: dimension, hour, observed: round(share), baseline: round(usual), deviation: round(share - usual), samples: shares.length, value: top.value, requests: top.requests },
  };
}

/** The median of the samples and their spread (1.4826·MAD), the spread kept at least 10% of the median and `floor`. */
export function robustBaseline(samples: number[], floor = 1): { median: number; spread: number } {
  const m = median(samples);
  const mad = median(samples.map((s) => Math.abs(s - m)));
  return { median: m, spread: Math.max(MAD_SCALE * mad, MIN_RELATIVE_SPREAD * m, floor) };
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
