/** Small typed helpers over a Durable Object's SQLite, and the schema migration. */
import { MIGRATIONS } from '../schema';

export type SqlValue = string | number | null;
export type Row = Record<string, SqlValue>;

/**
 * `IN` over a list bound as one JSON array: a Durable Object's SQLite takes at most 100 bound values per
 * statement, so lists are never spread into one `?` each.
 */
export const JSON_LIST = '(SELECT value FROM json_each(?))';

export function rows<T extends Row>(sql: SqlStorage, query: string, ...params: SqlValue[]): T[] {
  return sql.exec<T>(query, ...params).toArray();
}

export function first<T extends Row>(sql: SqlStorage, query: string, ...params: SqlValue[]): T | undefined {
  return rows<T>(sql, query, ...params)[0];
}

/** Runs the migrations this database has not seen yet, in order. */
export function migrate(sql: SqlStorage): void {
  const hasMeta = first(sql, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
  const done = hasMeta ? Number(first<{ value: string }>(sql, "SELECT value FROM meta WHERE key = 'schema_version'")?.value ?? 0) : 0;
  for (let version = done; version < MIGRATIONS.length; version++) {
    sql.exec(MIGRATIONS[version]!);
    sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", String(version + 1));
  }
}

export const bool = (value: SqlValue) => value === 1;
export const flag = (value: boolean) => (value ? 1 : 0);
export const parseJson = <T>(value: SqlValue, fallback: T): T => (typeof value === 'string' ? (JSON.parse(value) as T) : fallback);
