/**
 * Synthetic traffic histories through the anomaly detector, hour by hour as the evaluation would run it: which
 * alerts fire, which do not, and with which numbers.
 */
import { describe, expect, it } from 'vitest';
import {
  type AnomalyState,
  detectAnomalies,
  type Finding,
  type HourTotals,
  median,
  robustBaseline,
  type TopValue,
  type TrafficHistory,
  WEEK_MS,
} from '../../../src/insight/anomaly';
import { HOUR_MS } from '../../../src/insight/event';

// Monday 2026-11-02 00:00 UTC: week k starts at START + k·WEEK_MS.
const START = Date.UTC(2026, 10, 2);
const DAY_MS = 24 * HOUR_MS;

/** A deterministic ±amplitude noise (a small LCG), so histories are the same on every run. */
function noise(seed: number, amplitude = 0.1): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return 1 + amplitude * ((s / 2 ** 32) * 2 - 1);
  };
}

/** Requests of a business-hours site: quiet nights, busy days, Mondays 09–17 five times busier still. */
function weekly(t: number): number {
  const day = Math.floor((t - START) / DAY_MS) % 7; // 0 = Monday
  const hourOfDay = new Date(t).getUTCHours();
  const daytime = hourOfDay >= 8 && hourOfDay < 20;
  const base = daytime ? 2000 : 300;
  return day === 0 && hourOfDay >= 9 && hourOfDay < 17 ? base * 5 : base;
}

interface Shape {
  weeks: number;
  requests?: (t: number) => number;
  errorRate?: (t: number) => number;
  seed?: number;
}

/** Hours from START for `weeks` weeks; bandwidth ~100 KB a request, 1% errors, 2% refusals, each with noise. */
function history({ weeks, requests = weekly, errorRate = () => 0.01, seed = 1 }: Shape): TrafficHistory {
  const jitter = noise(seed);
  const hours: HourTotals[] = [];
  const top: TopValue[] = [];
  for (let t = START; t < START + weeks * WEEK_MS; t += HOUR_MS) {
    const n = Math.round(requests(t) * jitter());
    hours.push({ hour: t, requests: n, bandwidthBytes: n * 100_000, errors: Math.round(n * errorRate(t)), refusals: Math.round(n * 0.02) });
    // Each hour's top IPs: five clients with about 4% each.
    for (let i = 0; i < 5; i++) top.push({ hour: t, dimension: 'ip', value: `203.0.113.${i}`, requests: Math.round(n * 0.04 * jitter()) });
  }
  return { hours, top };
}

/** Runs the detector over every hour of [from, to) in order, carrying its state, and collects what fired. */
function run(h: TrafficHistory, from: number, to: number, state: AnomalyState = {}): { alerts: Finding[]; state: AnomalyState } {
  const alerts: Finding[] = [];
  for (let t = from; t < to; t += HOUR_MS) {
    const detection = detectAnomalies(h, t, state);
    alerts.push(...detection.alerts);
    state = detection.state;
  }
  return { alerts, state };
}

const week = (k: number) => START + k * WEEK_MS;
const at = (h: TrafficHistory, t: number) => h.hours.find((x) => x.hour === t)!;

describe('robust baseline', () => {
  it('takes the median and 1.4826·MAD, ignoring one outlier among the samples', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    // One past flood (10 000) does not move the baseline of four ordinary weeks.
    const { median: m, spread } = robustBaseline([1000, 1300, 10_000, 700, 1050]);
    expect(m).toBe(1050);
    expect(spread).toBeCloseTo(1.4826 * 250, 5);
    // A flat history keeps a spread of 10% of the median.
    expect(robustBaseline([500, 500, 500]).spread).toBe(50);
  });
});

describe('anomaly detection', () => {
  it('does not alert on a weekly rhythm: the Monday peak is compared with earlier Mondays', () => {
    const h = history({ weeks: 6 });
    // The Monday peak is five times a Sunday's same hour: a day-over-day comparison would call it a spike.
    expect(at(h, week(5) + 10 * HOUR_MS).requests).toBeGreaterThan(3 * at(h, week(5) - DAY_MS + 10 * HOUR_MS).requests);
    expect(run(h, week(4), week(6)).alerts).toEqual([]);
  });

  it('needs three weeks of history before it judges anything', () => {
    const h = history({ weeks: 3, requests: (t) => (t === week(2) + 10 * HOUR_MS ? 50_000 : weekly(t)) });
    expect(run(h, week(2), week(3)).alerts).toEqual([]);
  });

  it('alerts once on a flood, with the numbers, and not again within the cooldown', () => {
    const flood = week(5) + 2 * DAY_MS + 14 * HOUR_MS; // Wednesday 14:00
    const again = flood + 3 * HOUR_MS;
    const later = flood + 2 * DAY_MS;
    const floods = new Set([flood, again, later]);
    const h = history({ weeks: 6, requests: (t) => (floods.has(t) ? 10 * weekly(t) : weekly(t)) });
    const { alerts } = run(h, week(4), week(6));

    const requestSpikes = alerts.filter((a) => a.kind === 'requests.spike');
    expect(requestSpikes.map((a) => a.hour)).toEqual([flood, later]);
    const first = requestSpikes[0]!;
    expect(first.observed).toBe(at(h, flood).requests);
    expect(first.baseline).toBe(median([1, 2, 3, 4].map((k) => at(h, flood - k * WEEK_MS).requests)));
    expect(first.observed / first.baseline).toBeGreaterThan(8);
    expect(first.deviation).toBeGreaterThan(20);
    expect(first.samples).toBe(4);
    // Bytes flood with the requests; errors and refusals keep their rates, the error rate does not move.
    expect(alerts.filter((a) => a.kind === 'bandwidth.spike').map((a) => a.hour)).toEqual([flood, later]);
    expect(alerts.some((a) => a.kind === 'errorRate.spike' || a.kind.endsWith('.drop'))).toBe(false);
  });

  it('alerts once on a holiday: a whole day at a tenth of its traffic is one drop alert, not one per hour', () => {
    const holiday = week(5) + 2 * DAY_MS; // Wednesday
    const h = history({ weeks: 6, requests: (t) => (t >= holiday && t < holiday + DAY_MS ? weekly(t) / 10 : weekly(t)) });
    const { alerts } = run(h, week(4), week(6));
    const drops = alerts.filter((a) => a.kind === 'requests.drop');
    expect(drops).toHaveLength(1);
    // Its first hour alerts; the other 23 belong to the same episode.
    expect(drops[0]!.hour).toBe(holiday);
    expect(drops[0]!.observed).toBeLessThan(0.15 * drops[0]!.baseline);
    expect(alerts.filter((a) => a.kind === 'requests.spike')).toEqual([]);
  });

  it('does not alert on a slow ramp: traffic growing 2% a day, +74% over the four weeks compared', () => {
    const h = history({ weeks: 8, requests: (t) => weekly(t) * 1.02 ** ((t - START) / DAY_MS) });
    expect(at(h, week(7) + 10 * HOUR_MS).requests / at(h, week(3) + 10 * HOUR_MS).requests).toBeGreaterThan(1.5);
    expect(run(h, week(4), week(8)).alerts).toEqual([]);
  });

  it('alerts on an error-rate spike while the volume stays flat', () => {
    const outage = week(5) + 3 * DAY_MS + 11 * HOUR_MS;
    const h = history({ weeks: 6, errorRate: (t) => (t >= outage && t < outage + 2 * HOUR_MS ? 0.2 : 0.01) });
    const { alerts } = run(h, week(4), week(6));
    expect(alerts.map((a) => a.kind)).toEqual(['errorRate.spike']);
    expect(alerts[0]).toMatchObject({ hour: outage, metric: 'errorRate' });
    expect(alerts[0]!.observed).toBeCloseTo(0.2, 2);
    expect(alerts[0]!.baseline).toBeCloseTo(0.01, 2);
  });

  it('alerts when one IP suddenly takes most of an hour, but not on a client that always does', () => {
    const hour = week(4) + 3 * DAY_MS + 15 * HOUR_MS;
    const h = history({ weeks: 5 });
    const total = at(h, hour).requests;
    h.top.push({ hour, dimension: 'ip', value: '198.51.100.7', requests: Math.round(total * 0.7) });
    const { alerts } = run(h, hour - 2 * HOUR_MS, hour + 2 * HOUR_MS);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'ip.dominant', metric: 'ip', hour, value: '198.51.100.7', baseline: 0, samples: 168 });
    expect(alerts[0]!.observed).toBeCloseTo(0.7, 2);

    // A CDN in front of the site: the same address has ~70% of every hour, so 75% now is its usual self.
    const cdn = history({ weeks: 5 });
    for (const x of cdn.hours) cdn.top.push({ hour: x.hour, dimension: 'referrer', value: 'shop.example', requests: Math.round(x.requests * (x.hour === hour ? 0.75 : 0.7)) });
    expect(run(cdn, hour - 2 * HOUR_MS, hour + 2 * HOUR_MS).alerts).toEqual([]);
  });

  it('keeps small tenants quiet: ten times a handful of requests is under the volume floors', () => {
    const spike = week(5) + 10 * HOUR_MS;
    const h = history({ weeks: 6, requests: (t) => (t === spike ? 150 : 15) });
    h.top.push({ hour: spike, dimension: 'path', value: '/a.jpg', requests: 140 });
    expect(run(h, week(4), week(6)).alerts).toEqual([]);
  });

  it('judges only the kinds switched on, and leaves the others\' state alone', () => {
    const flood = week(5) + 14 * HOUR_MS;
    const h = history({ weeks: 6, requests: (t) => (t === flood ? 10 * weekly(t) : weekly(t)) });
    const detection = detectAnomalies(h, flood, {}, (kind) => kind !== 'requests.spike');
    // Refusals keep their 2% of the requests, so they flood too.
    expect(detection.alerts.map((a) => a.kind)).toEqual(['bandwidth.spike', 'refusals.spike']);
    expect(detection.state['requests.spike']).toBeUndefined();
  });

  it('starts a new episode only after a normal hour: a two-day outage alerts once', () => {
    const down = week(5) + 2 * DAY_MS;
    const h = history({ weeks: 6, requests: (t) => (t >= down && t < down + 2 * DAY_MS ? weekly(t) / 20 : weekly(t)) });
    const { alerts, state } = run(h, week(4), down + 2 * DAY_MS);
    expect(alerts.filter((a) => a.kind === 'requests.drop')).toHaveLength(1);
    expect(state['requests.drop']).toEqual({ active: true, firedAt: down });
    // Back to normal: the episode ends.
    const after = run(h, down + 2 * DAY_MS, down + 2 * DAY_MS + 12 * HOUR_MS, state);
    expect(after.state['requests.drop']!.active).toBe(false);
  });
});
