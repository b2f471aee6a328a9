/** Delivered bytes per UTC day, for /v1/accounts/usage. */
import { first } from './sql';

export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export class UsageLedger {
  constructor(private readonly sql: SqlStorage) {}

  addBandwidth(day: string, bytes: number): void {
    this.sql.exec(
      'INSERT INTO usage_days (day, bandwidth_bytes) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET bandwidth_bytes = bandwidth_bytes + excluded.bandwidth_bytes',
      day,
      bytes,
    );
  }

  /** Bytes delivered from `startDay` to `endDay`, both included (YYYY-MM-DD). */
  bandwidth(startDay: string, endDay: string): number {
    return Number(
      first<{ total: number | null }>(this.sql, 'SELECT SUM(bandwidth_bytes) AS total FROM usage_days WHERE day >= ? AND day <= ?', startDay, endDay)
        ?.total ?? 0,
    );
  }
}
