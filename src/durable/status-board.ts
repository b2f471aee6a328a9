/**
 * The status page's one store, for the whole platform: probe results (kept a week, for the latest state and
 * what a probe saw), per-component daily counts (kept 90 days, what uptime is computed from) and incidents with
 * their updates (a resolved one kept 90 days). An hourly alarm drops what is older; a probe arms it.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import type { ComponentId } from '../status/components';
import type { BoardSnapshot, Impact, Incident, IncidentStatus, NewIncident, NewUpdate, ProbeResult, UpdateOutcome } from '../status/types';
import { DAY_MS, HISTORY_DAYS, utcDay } from '../status/uptime';

export const PROBE_RETENTION_MS = 7 * DAY_MS;
/** Today and the 90 full days before it: what a 90-day series may still ask for. */
export const DAY_RETENTION_MS = (HISTORY_DAYS + 1) * DAY_MS;
export const INCIDENT_RETENTION_MS = HISTORY_DAYS * DAY_MS;
const ALARM_EVERY_MS = 60 * 60 * 1000;

interface IncidentRow extends Record<string, SqlStorageValue> {
  id: string;
  title: string;
  status: string;
  impact: string;
  components: string;
  created_at: number;
  updated_at: number;
  resolved_at: number | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class StatusBoard extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS probes (component TEXT NOT NULL, at INTEGER NOT NULL, state TEXT NOT NULL,
      latency_ms INTEGER NOT NULL, detail TEXT NOT NULL, PRIMARY KEY (component, at)) WITHOUT ROWID`);
    sql.exec(`CREATE TABLE IF NOT EXISTS days (day TEXT NOT NULL, component TEXT NOT NULL, ok INTEGER NOT NULL,
      degraded INTEGER NOT NULL, down INTEGER NOT NULL, PRIMARY KEY (day, component)) WITHOUT ROWID`);
    sql.exec(`CREATE TABLE IF NOT EXISTS incidents (id TEXT PRIMARY KEY, title TEXT NOT NULL, status TEXT NOT NULL,
      impact TEXT NOT NULL, components TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, resolved_at INTEGER)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS incident_updates (incident_id TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL,
      status TEXT NOT NULL, message TEXT NOT NULL, PRIMARY KEY (incident_id, seq)) WITHOUT ROWID`);
    sql.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  }

  /** Stores one run's results and counts each in its component's UTC day. */
  async record(results: ProbeResult[]): Promise<void> {
    const sql = this.ctx.storage.sql;
    this.ctx.storage.transactionSync(() => {
      for (const r of results) {
        sql.exec('INSERT OR REPLACE INTO probes VALUES (?, ?, ?, ?, ?)', r.component, r.at, r.state, Math.round(r.latencyMs), r.detail);
        sql.exec(
          `INSERT INTO days VALUES (?, ?, ?, ?, ?) ON CONFLICT (day, component) DO UPDATE SET
             ok = ok + excluded.ok, degraded = degraded + excluded.degraded, down = down + excluded.down`,
          utcDay(r.at),
          r.component,
          Number(r.state === 'ok'),
          Number(r.state === 'degraded'),
          Number(r.state === 'down'),
        );
      }
    });
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + ALARM_EVERY_MS);
  }

  /** Everything the page shows, as of `now`. */
  snapshot(now: number): BoardSnapshot {
    const sql = this.ctx.storage.sql;
    const latest = sql
      .exec<{ component: string; at: number; state: string; latency_ms: number; detail: string }>(
        'SELECT p.* FROM probes p JOIN (SELECT component, MAX(at) AS at FROM probes GROUP BY component) m USING (component, at)',
      )
      .toArray()
      .map((row) => ({ component: row.component as ComponentId, at: row.at, state: row.state as ProbeResult['state'], latencyMs: row.latency_ms, detail: row.detail }));
    const days = sql
      .exec<{ day: string; component: string; ok: number; degraded: number; down: number }>('SELECT * FROM days WHERE day >= ? ORDER BY day', utcDay(now - HISTORY_DAYS * DAY_MS))
      .toArray()
      .map((row) => ({ ...row, component: row.component as ComponentId }));
    const open = this.incidents('SELECT * FROM incidents WHERE resolved_at IS NULL ORDER BY created_at DESC');
    const resolved = this.incidents('SELECT * FROM incidents WHERE resolved_at >= ? ORDER BY resolved_at DESC LIMIT 20', now - INCIDENT_RETENTION_MS);
    return { latest, days, open, resolved };
  }

  createIncident(input: NewIncident, now = Date.now()): Incident {
    const id = `inc_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
    const sql = this.ctx.storage.sql;
    this.ctx.storage.transactionSync(() => {
      sql.exec('INSERT INTO incidents VALUES (?, ?, ?, ?, ?, ?, ?, NULL)', id, input.title, input.status, input.impact, JSON.stringify(input.components), now, now);
      sql.exec('INSERT INTO incident_updates VALUES (?, 1, ?, ?, ?)', id, now, input.status, input.message);
    });
    return this.incident(id)!;
  }

  /** Adds an update; `resolved` closes the incident, which then takes no more updates. */
  addUpdate(id: string, input: NewUpdate, now = Date.now()): UpdateOutcome {
    const current = this.incident(id);
    if (!current) return { refused: 'not_found' };
    if (current.status === 'resolved') return { refused: 'resolved' };
    const sql = this.ctx.storage.sql;
    this.ctx.storage.transactionSync(() => {
      sql.exec(
        'UPDATE incidents SET status = ?, impact = ?, updated_at = ?, resolved_at = ? WHERE id = ?',
        input.status,
        input.impact ?? current.impact,
        now,
        input.status === 'resolved' ? now : null,
        id,
      );
      sql.exec(
        'INSERT INTO incident_updates SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ? FROM incident_updates WHERE incident_id = ?',
        id,
        now,
        input.status,
        input.message,
        id,
      );
    });
    return { incident: this.incident(id)! };
  }

  /** A small setting of the prober's (which tenant is its canary). */
  getMeta(key: string): string | null {
    return this.ctx.storage.sql.exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', key).toArray()[0]?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.ctx.storage.sql.exec('INSERT OR REPLACE INTO meta VALUES (?, ?)', key, value);
  }

  /** Retention: drops probes older than a week, days older than 90, incidents resolved more than 90 days ago. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    this.prune(now);
    const left = this.ctx.storage.sql.exec<{ n: number }>('SELECT (SELECT COUNT(*) FROM probes) + (SELECT COUNT(*) FROM incidents) AS n').one().n;
    if (left > 0) await this.ctx.storage.setAlarm(now + ALARM_EVERY_MS);
  }

  private prune(now: number): void {
    const sql = this.ctx.storage.sql;
    this.ctx.storage.transactionSync(() => {
      sql.exec('DELETE FROM probes WHERE at < ?', now - PROBE_RETENTION_MS);
      sql.exec('DELETE FROM days WHERE day < ?', utcDay(now - DAY_RETENTION_MS));
      const cutoff = now - INCIDENT_RETENTION_MS;
      sql.exec('DELETE FROM incident_updates WHERE incident_id IN (SELECT id FROM incidents WHERE resolved_at < ?)', cutoff);
      sql.exec('DELETE FROM incidents WHERE resolved_at < ?', cutoff);
    });
  }

  private incident(id: string): Incident | null {
    return this.incidents('SELECT * FROM incidents WHERE id = ?', id)[0] ?? null;
  }

  private incidents(query: string, ...bindings: SqlStorageValue[]): Incident[] {
    const rows = this.ctx.storage.sql.exec<IncidentRow>(query, ...bindings).toArray();
    return rows.map((row) => ({
      id: row.id,
      title: row.title,
      status: row.status as IncidentStatus,
      impact: row.impact as Impact,
      components: JSON.parse(row.components) as ComponentId[],
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      resolvedAt: row.resolved_at === null ? null : iso(row.resolved_at),
      updates: this.ctx.storage.sql
        .exec<{ at: number; status: string; message: string }>('SELECT at, status, message FROM incident_updates WHERE incident_id = ? ORDER BY seq DESC', row.id)
        .toArray()
        .map((u) => ({ at: iso(u.at), status: u.status as IncidentStatus, message: u.message })),
    }));
  }
}
