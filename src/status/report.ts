/** The status document (`GET /status.json`, and what the page draws) from the board's records. Pure. */
import { COMPONENTS, type ComponentId } from './components';
import type { BoardSnapshot, Incident } from './types';
import { componentState, type ComponentState, dailySeries, type DaySummary, type OverallStatus, overallStatus, periodUptime } from './uptime';

/** A probe older than this (five missed runs) no longer speaks for now. */
export const STALE_AFTER_MS = 5 * 60 * 1000;

export interface ComponentReport {
  id: ComponentId;
  name: string;
  description: string;
  status: ComponentState;
  /** The latest probe: when, how long it took, and what was wrong ('' when nothing). */
  checkedAt: string | null;
  latencyMs: number | null;
  detail: string | null;
  /** Over the 90 days (null with no probes at all). */
  uptime: number | null;
  /** 90 UTC days, oldest first; the last is today so far. */
  days: DaySummary[];
}

export interface StatusReport {
  status: OverallStatus;
  generatedAt: string;
  components: ComponentReport[];
  incidents: { open: Incident[]; resolved: Incident[] };
}

export function statusReport(board: BoardSnapshot, now: number): StatusReport {
  const components = COMPONENTS.map((c): ComponentReport => {
    const latest = board.latest.find((p) => p.component === c.id) ?? null;
    const days = dailySeries(board.days.filter((d) => d.component === c.id), now);
    return {
      id: c.id,
      name: c.name,
      description: c.describes,
      status: componentState(c.id, latest, board.open, now, STALE_AFTER_MS),
      checkedAt: latest ? new Date(latest.at).toISOString() : null,
      latencyMs: latest?.latencyMs ?? null,
      detail: latest?.detail ?? null,
      uptime: periodUptime(days),
      days,
    };
  });
  return {
    status: overallStatus(components.map((c) => c.status), board.open.map((i) => i.impact)),
    generatedAt: new Date(now).toISOString(),
    components,
    incidents: { open: board.open, resolved: board.resolved },
  };
}
