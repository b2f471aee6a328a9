/**
 * A tenant's delivery analytics, in the object's SQLite (insight/schema.ts): raw events for a short while, hourly
 * rollups and bounded top-N counters for 90 days. Events arrive in batches from each isolate's flush
 * (insight/record.ts); every batch is one transaction. The alarm enforces retention about once an hour.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import { DIMENSIONS, type DeliveryEvent, type Dimension, dimensionValue, eventTotals, HOUR_MS, hourOf, METRICS, statusClass, type Totals } from '../insight/event';
import type { HourTop, SeriesPoint, SeriesQuery, TopAnswer, TopQuery } from '../insight/queries';
import { ANALYTICS_SCHEMA, RAW_RETENTION_MS, ROLLUP_RETENTION_MS, TOP_SLOTS } from '../insight/schema';
import { addToCounters, type Counter } from '../insight/top-n';
import type { Alert } from '../insight/alert-events';
import { type AlertState, evaluateTenantAlerts, initialAlertState } from '../insight/evaluate';
import { rememberedName } from './identity';
import { objectHome } from './jurisdiction';

const DAY_HOURS = 24;
const ALERT_STATE_KEY = 'alerts:state';
/** Events dated further ahead than this (a skewed clock) are not stored. */
const MAX_FUTURE_MS = HOUR_MS;

/** Rollup columns, in METRICS order. */
const COLUMNS: Record<(typeof METRICS)[number], string> = {
  requests: 'requests',
  bandwidth: 'bandwidth',
  errors: 'errors',
  refusals: 'refusals',
  hits: 'hits',
  misses: 'misses',
  transformations: 'transformations',
  cpuMs: 'cpu_ms',
};
const SUMS = METRICS.map((m) => `SUM(${COLUMNS[m]}) AS ${m}`).join(', ');

export class Analytics extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private alarmSet = false;
  /** The tenant, for the alert evaluation its alarm runs (an alarm has no `ctx.id.name`). */
  private readonly tenant: string | null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    for (const statement of ANALYTICS_SCHEMA) this.sql.exec(statement);
    const named = rememberedName(ctx);
    // Locally a jurisdiction's objects are addressed as `<tenant>@<jurisdiction>` (durable/jurisdiction.ts).
    this.tenant = named === null ? null : objectHome(ctx.id, named).name;
  }

  /** Stores a batch; answers how many events it kept (too old or too far ahead are dropped). */
  async ingest(events: DeliveryEvent[], now = Date.now()): Promise<{ stored: number }> {
    const rollupFrom = now - ROLLUP_RETENTION_MS;
    const rawFrom = now - RAW_RETENTION_MS;
    const kept = events.filter((e) => e.at >= rollupFrom && e.at <= now + MAX_FUTURE_MS);
    this.ctx.storage.transactionSync(() => {
      for (const e of kept) if (e.at >= rawFrom) this.insertEvent(e);
      this.addRollups(kept);
      this.addTop(kept);
    });
    if (!this.alarmSet && kept.length > 0) {
      if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(now + HOUR_MS);
      this.alarmSet = true;
    }
    return { stored: kept.length };
  }

  /** Every metric per hour or day of the range, from the hourly rollups. */
  series(query: SeriesQuery): SeriesPoint[] {
    const where: string[] = ['hour >= ?', 'hour < ?'];
    const args: (string | number)[] = [hourOf(query.from), Math.ceil(query.to / HOUR_MS)];
    if (query.statusClass) where.push('status_class = ?'), args.push(query.statusClass);
    if (query.format !== undefined) where.push('format = ?'), args.push(query.format);
    const rows = this.sql.exec<{ hour: number } & Totals>(`SELECT hour, ${SUMS} FROM hourly WHERE ${where.join(' AND ')} GROUP BY hour`, ...args);
    return buckets(query, rows.toArray());
  }

  /** The same series computed from raw events (only as far back as they are kept): the slow path rollups replace. */
  eventSeries(query: SeriesQuery): SeriesPoint[] {
    const rows = this.sql.exec<{ hour: number } & Totals>(
      `SELECT at / ${HOUR_MS} AS hour, COUNT(*) AS requests, SUM(bytes) AS bandwidth,
        SUM(status >= 400 AND refusal = '') AS errors, SUM(refusal != '') AS refusals,
        SUM(cache IN ('edge', 'r2')) AS hits, SUM(cache = 'miss') AS misses, SUM(transformed) AS transformations,
        SUM(cpu_ms) AS cpuMs
       FROM events WHERE at >= ? AND at < ? GROUP BY hour`,
      // Whole hours, as the rollups are read.
      hourOf(query.from) * HOUR_MS,
      Math.ceil(query.to / HOUR_MS) * HOUR_MS,
    );
    return buckets(query, rows.toArray());
  }

  /** The range's most frequent values of a dimension. */
  top(query: TopQuery): TopAnswer {
    const { clause, args } = prefixClause(query.prefix);
    const entries = this.sql
      .exec<{ value: string; count: number; error: number }>(
        `SELECT value, SUM(count) AS count, SUM(error) AS error FROM top
         WHERE dimension = ? AND hour >= ? AND hour < ?${clause} GROUP BY value ORDER BY count DESC, value LIMIT ?`,
        query.dimension,
        hourOf(query.from),
        Math.ceil(query.to / HOUR_MS),
        ...args,
        query.limit,
      )
      .toArray();
    const total = this.requestsIn(hourOf(query.from), Math.ceil(query.to / HOUR_MS));
    return { total, entries, other: total - entries.reduce((sum, e) => sum + e.count, 0) };
  }

  /** Top-N of each hour of the range that had traffic (what an hour's dominant referrer or path shows in). */
  topByHour(query: TopQuery): HourTop[] {
    const { clause, args } = prefixClause(query.prefix);
    const from = hourOf(query.from);
    const to = Math.ceil(query.to / HOUR_MS);
    const totals = new Map(
      this.sql.exec<{ hour: number; requests: number }>('SELECT hour, SUM(requests) AS requests FROM hourly WHERE hour >= ? AND hour < ? GROUP BY hour', from, to).toArray().map((r) => [r.hour, r.requests]),
    );
    const byHour = new Map<number, Counter[]>();
    for (const row of this.sql.exec<{ hour: number; value: string; count: number; error: number }>(
      `SELECT hour, value, count, error FROM top WHERE dimension = ? AND hour >= ? AND hour < ?${clause} ORDER BY hour, count DESC, value`,
      query.dimension,
      from,
      to,
      ...args,
    )) {
      const list = byHour.get(row.hour) ?? [];
      if (list.length < query.limit) list.push({ value: row.value, count: row.count, error: row.error });
      byHour.set(row.hour, list);
    }
    return [...totals].map(([hour, total]) => {
      const entries = byHour.get(hour) ?? [];
      return { start: hour * HOUR_MS, total, entries, other: total - entries.reduce((sum, e) => sum + e.count, 0) };
    });
  }

  /** Drops raw events and rollups past their retention; comes back in an hour while anything is kept. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    this.sql.exec('DELETE FROM events WHERE at < ?', now - RAW_RETENTION_MS);
    const oldest = hourOf(now - ROLLUP_RETENTION_MS);
    this.sql.exec('DELETE FROM hourly WHERE hour < ?', oldest);
    for (const dimension of DIMENSIONS) this.sql.exec('DELETE FROM top WHERE dimension = ? AND hour < ?', dimension, oldest);
    const left = this.sql.exec<{ n: number }>('SELECT EXISTS (SELECT 1 FROM hourly) AS n').one().n;
    if (left) await this.ctx.storage.setAlarm(now + HOUR_MS);
    this.alarmSet = Boolean(left);
    await this.evaluateAlerts(now);
  }

  /** Start of the first hour the rollups hold, or null. */
  firstHour(): number | null {
    const first = this.sql.exec<{ hour: number | null }>('SELECT MIN(hour) AS hour FROM hourly').one().hour;
    return first === null ? null : first * HOUR_MS;
  }

  /** The tenant's traffic anomalies, usage thresholds and quotas (insight/evaluate.ts); its state stays here. */
  async evaluateAlerts(now = Date.now()): Promise<Alert[]> {
    if (this.tenant === null) return [];
    try {
      const before = this.ctx.storage.kv.get<AlertState>(ALERT_STATE_KEY) ?? initialAlertState();
      const { state, sent } = await evaluateTenantAlerts(this.env, this.tenant, this, before, now);
      this.ctx.storage.kv.put(ALERT_STATE_KEY, state);
      return sent;
    } catch (error) {
      // Retention is done; a failed evaluation is tried again at the next alarm (its state was not advanced).
      console.error(`alert evaluation for ${this.tenant} failed`, error);
      return [];
    }
  }

  private requestsIn(from: number, to: number): number {
    return this.sql.exec<{ n: number | null }>('SELECT SUM(requests) AS n FROM hourly WHERE hour >= ? AND hour < ?', from, to).one().n ?? 0;
  }

  private insertEvent(e: DeliveryEvent): void {
    this.sql.exec(
      'INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      e.at, e.path, e.status, e.cache, e.format, e.bytes, e.referrer, e.ip, e.country, e.userAgent,
      e.browser, e.os, e.device, e.cpuMs, e.transformed ? 1 : 0, e.refusal,
    );
  }

  /** Sums the batch per hour, status class and format in memory: one upsert per rollup row, not per event. */
  private addRollups(events: DeliveryEvent[]): void {
    const sums = new Map<string, { hour: number; statusClass: string; format: string; totals: Totals }>();
    for (const e of events) {
      const hour = hourOf(e.at);
      const key = `${hour}\n${statusClass(e.status)}\n${e.format}`;
      const entry = sums.get(key) ?? { hour, statusClass: statusClass(e.status), format: e.format, totals: zeroTotals() };
      const add = eventTotals(e);
      for (const m of METRICS) entry.totals[m] += add[m];
      sums.set(key, entry);
    }
    const columns = METRICS.map((m) => COLUMNS[m]);
    const upsert = `INSERT INTO hourly (hour, status_class, format, ${columns.join(', ')}) VALUES (?, ?, ?, ${columns.map(() => '?').join(', ')})
      ON CONFLICT (hour, status_class, format) DO UPDATE SET ${columns.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`;
    for (const { hour, statusClass, format, totals } of sums.values()) {
      this.sql.exec(upsert, hour, statusClass, format, ...METRICS.map((m) => totals[m]));
    }
  }

  /** Counts the batch per hour, dimension and value, then folds each hour's counts into its bounded counters. */
  private addTop(events: DeliveryEvent[]): void {
    const counts = new Map<string, { hour: number; dimension: Dimension; increments: Map<string, number> }>();
    for (const e of events) {
      const hour = hourOf(e.at);
      for (const dimension of DIMENSIONS) {
        const key = `${hour}\n${dimension}`;
        const entry = counts.get(key) ?? { hour, dimension, increments: new Map<string, number>() };
        const value = dimensionValue(e, dimension);
        entry.increments.set(value, (entry.increments.get(value) ?? 0) + 1);
        counts.set(key, entry);
      }
    }
    for (const { hour, dimension, increments } of counts.values()) {
      const counters = new Map(
        this.sql
          .exec<{ value: string; count: number; error: number }>('SELECT value, count, error FROM top WHERE dimension = ? AND hour = ?', dimension, hour)
          .toArray()
          .map((c) => [c.value, { ...c }]),
      );
      const { upserts, removed } = addToCounters(counters, increments, TOP_SLOTS);
      for (const value of removed) this.sql.exec('DELETE FROM top WHERE dimension = ? AND hour = ? AND value = ?', dimension, hour, value);
      for (const c of upserts) {
        this.sql.exec(
          'INSERT INTO top VALUES (?, ?, ?, ?, ?) ON CONFLICT (dimension, hour, value) DO UPDATE SET count = excluded.count, error = excluded.error',
          hour, dimension, c.value, c.count, c.error,
        );
      }
    }
  }
}

function zeroTotals(): Totals {
  return Object.fromEntries(METRICS.map((m) => [m, 0])) as Totals;
}

/** Hourly rows into the query's buckets, every bucket of the range present (zeros where there was no traffic). */
function buckets(query: SeriesQuery, rows: ({ hour: number } & Totals)[]): SeriesPoint[] {
  const span = query.granularity === 'day' ? DAY_HOURS : 1;
  const first = Math.floor(hourOf(query.from) / span);
  const last = Math.ceil(Math.ceil(query.to / HOUR_MS) / span);
  const points: SeriesPoint[] = [];
  for (let b = first; b < last; b++) points.push({ start: b * span * HOUR_MS, ...zeroTotals() });
  for (const row of rows) {
    const point = points[Math.floor(row.hour / span) - first];
    if (!point) continue;
    for (const m of METRICS) point[m] += Number(row[m] ?? 0);
  }
  return points;
}

/** Values starting with `prefix`, compared as text (no LIKE wildcards to escape). */
function prefixClause(prefix: string | undefined): { clause: string; args: (string | number)[] } {
  if (!prefix) return { clause: '', args: [] };
  return { clause: ' AND substr(value, 1, ?) = ?', args: [prefix.length, prefix] };
}
