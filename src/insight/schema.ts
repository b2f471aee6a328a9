/**
 * The `Analytics` object's SQLite tables. Raw events are kept RAW_RETENTION_MS (a day or two of detail); every
 * event also adds to its hour's rollup and top-N counters, kept ROLLUP_RETENTION_MS (90 days). Rollups are
 * WITHOUT ROWID tables keyed by hour (top-N by dimension, then hour), so a range query reads only its hours' rows.
 */
export const RAW_RETENTION_MS = 48 * 3_600_000;
export const ROLLUP_RETENTION_MS = 90 * 86_400_000;
/** Counters per dimension per hour (top-n.ts): the bound on what a scan of random values can store. */
export const TOP_SLOTS = 64;

export const ANALYTICS_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS events (
    at INTEGER NOT NULL, path TEXT NOT NULL, status INTEGER NOT NULL, cache TEXT NOT NULL, format TEXT NOT NULL,
    bytes INTEGER NOT NULL, referrer TEXT NOT NULL, ip TEXT NOT NULL, country TEXT NOT NULL, user_agent TEXT NOT NULL,
    browser TEXT NOT NULL, os TEXT NOT NULL, device TEXT NOT NULL, cpu_ms REAL NOT NULL, transformed INTEGER NOT NULL,
    refusal TEXT NOT NULL)`,
  'CREATE INDEX IF NOT EXISTS events_at ON events (at)',
  `CREATE TABLE IF NOT EXISTS hourly (
    hour INTEGER NOT NULL, status_class TEXT NOT NULL, format TEXT NOT NULL,
    requests INTEGER NOT NULL, bandwidth INTEGER NOT NULL, errors INTEGER NOT NULL, refusals INTEGER NOT NULL,
    hits INTEGER NOT NULL, misses INTEGER NOT NULL, transformations INTEGER NOT NULL, cpu_ms REAL NOT NULL,
    PRIMARY KEY (hour, status_class, format)) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS top (
    hour INTEGER NOT NULL, dimension TEXT NOT NULL, value TEXT NOT NULL, count INTEGER NOT NULL, error INTEGER NOT NULL,
    PRIMARY KEY (dimension, hour, value)) WITHOUT ROWID`,
];
