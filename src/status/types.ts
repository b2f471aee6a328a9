/** The status board's records: probe results, daily counts, incidents (stored by durable/status-board.ts). */
import type { ComponentId } from './components';

/** One probe's verdict: answered as expected in time, answered as expected but slowly, or not as expected. */
export type ProbeState = 'ok' | 'degraded' | 'down';

export interface ProbeResult {
  component: ComponentId;
  /** When the probe started (ms since the epoch); its UTC day is the day it counts for. */
  at: number;
  state: ProbeState;
  latencyMs: number;
  /** Why it was not ok ("HTTP 404", "timed out after 10000 ms"), or ''. */
  detail: string;
}

/** Probes of one component on one UTC day (`YYYY-MM-DD`), by verdict. */
export interface DayCounts {
  component: ComponentId;
  day: string;
  ok: number;
  degraded: number;
  down: number;
}

export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** How much an incident takes away: `none` is a notice (maintenance, a heads-up), `critical` an outage. */
export const IMPACTS = ['none', 'minor', 'major', 'critical'] as const;
export type Impact = (typeof IMPACTS)[number];

export interface IncidentUpdate {
  at: string;
  status: IncidentStatus;
  message: string;
}

export interface Incident {
  id: string;
  title: string;
  status: IncidentStatus;
  impact: Impact;
  components: ComponentId[];
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  /** Newest first. */
  updates: IncidentUpdate[];
}

export interface NewIncident {
  title: string;
  impact: Impact;
  components: ComponentId[];
  status: Exclude<IncidentStatus, 'resolved'>;
  message: string;
}

export interface NewUpdate {
  status: IncidentStatus;
  message: string;
  /** Replaces the incident's impact from now on (an incident found worse, or better, than first thought). */
  impact?: Impact;
}

export type UpdateOutcome = { incident: Incident } | { refused: 'not_found' | 'resolved' };

/** What the board holds that the page shows. */
export interface BoardSnapshot {
  /** Each component's latest probe. */
  latest: ProbeResult[];
  /** Daily counts of the last 90 days and today. */
  days: DayCounts[];
  /** Open incidents, newest first. */
  open: Incident[];
  /** Incidents resolved in the last 90 days, newest first (at most 20). */
  resolved: Incident[];
}
