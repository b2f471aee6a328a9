/**
 * The status page's arithmetic, pure so it is tested in Node.
 *
 * Uptime of a component on a UTC day = the share of that day's probes that succeeded, where `ok` and `degraded`
 * both succeed (the request was answered correctly, only slowly) and `down` does not. A probe that did not run
 * (the cron did not fire, the prober itself failed) is missing, not down: missing probes leave the denominator,
 * so a day is judged on the probes it has, a day under way (today) on its probes so far, and a day with none
 * has no uptime at all (`null`, drawn as "no data") rather than 0 % or 100 %. Over many days the figure is the
 * successes of all of them over their probes, so a day with few probes weighs little.
 */
import type { ComponentId } from './components';
import type { DayCounts, Impact, ProbeResult, ProbeState } from './types';

export const DAY_MS = 86_400_000;
export const HISTORY_DAYS = 90;

/** The UTC day (`YYYY-MM-DD`) an instant falls on. */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** A probe's verdict from what it saw: wrong or no answer is down, a right answer later than allowed degraded. */
export function classify(answeredAsExpected: boolean, latencyMs: number, degradedAfterMs: number): ProbeState {
  if (!answeredAsExpected) return 'down';
  return latencyMs > degradedAfterMs ? 'degraded' : 'ok';
}

export interface DaySummary {
  day: string;
  probes: number;
  ok: number;
  degraded: number;
  down: number;
  /** From 0 to 1, or null for a day without probes. */
  uptime: number | null;
}

export function dayUptime(c: Pick<DayCounts, 'ok' | 'degraded' | 'down'>): number | null {
  const probes = c.ok + c.degraded + c.down;
  return probes === 0 ? null : (c.ok + c.degraded) / probes;
}

/**
 * One entry per UTC day of the `days` days ending today (the day `now` falls on), oldest first, from the stored
 * counts of one component; a day with no stored counts is an entry with no probes.
 */
export function dailySeries(counts: readonly Pick<DayCounts, 'day' | 'ok' | 'degraded' | 'down'>[], now: number, days = HISTORY_DAYS): DaySummary[] {
  const byDay = new Map(counts.map((c) => [c.day, c]));
  const series: DaySummary[] = [];
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  for (let i = days - 1; i >= 0; i--) {
    const day = utcDay(today - i * DAY_MS);
    const c = byDay.get(day) ?? { ok: 0, degraded: 0, down: 0 };
    series.push({ day, probes: c.ok + c.degraded + c.down, ok: c.ok, degraded: c.degraded, down: c.down, uptime: dayUptime(c) });
  }
  return series;
}

/** Uptime over a whole series: its successes over its probes (null when it has none). */
export function periodUptime(series: readonly DaySummary[]): number | null {
  return dayUptime({
    ok: series.reduce((sum, d) => sum + d.ok, 0),
    degraded: series.reduce((sum, d) => sum + d.degraded, 0),
    down: series.reduce((sum, d) => sum + d.down, 0),
  });
}

export type ComponentState = 'operational' | 'degraded' | 'down' | 'unknown';

const SEVERITY: Record<ComponentState, number> = { unknown: 0, operational: 1, degraded: 2, down: 3 };
const worse = (a: ComponentState, b: ComponentState) => (SEVERITY[b] > SEVERITY[a] ? b : a);

/** What an open incident says of the components it names. */
export const IMPACT_STATE: Record<Impact, ComponentState> = { none: 'operational', minor: 'degraded', major: 'down', critical: 'down' };

const PROBE_STATE: Record<ProbeState, ComponentState> = { ok: 'operational', degraded: 'degraded', down: 'down' };

/**
 * A component's state now: its latest probe, if it is recent enough to speak for now (else unknown), made
 * worse by any open incident naming it — an operator may know of trouble the probes cannot see.
 */
export function componentState(
  component: ComponentId,
  latest: Pick<ProbeResult, 'at' | 'state'> | null,
  openIncidents: readonly { impact: Impact; components: readonly ComponentId[] }[],
  now: number,
  staleAfterMs: number,
): ComponentState {
  let state: ComponentState = latest && now - latest.at <= staleAfterMs ? PROBE_STATE[latest.state] : 'unknown';
  for (const incident of openIncidents) {
    if (incident.components.includes(component) && incident.impact !== 'none') state = worse(state, IMPACT_STATE[incident.impact]);
  }
  return state;
}

export type OverallStatus = 'operational' | 'degraded' | 'partial_outage' | 'major_outage' | 'unknown';

/**
 * The platform as a whole: a major outage when an open incident is critical or every component with a known
 * state is down; a partial outage when some component is down; degraded when some component is, or an
 * incident with an impact is open; unknown when nothing is known at all.
 */
export function overallStatus(states: readonly ComponentState[], openImpacts: readonly Impact[]): OverallStatus {
  const known = states.filter((s) => s !== 'unknown');
  if (openImpacts.includes('critical') || (known.length > 0 && known.every((s) => s === 'down'))) return 'major_outage';
  if (known.includes('down')) return 'partial_outage';
  if (known.includes('degraded') || openImpacts.some((i) => i !== 'none')) return 'degraded';
  return known.length === 0 ? 'unknown' : 'operational';
}
