/** Delivered bytes, transformations made and seconds of video transcoded per UTC day, for usage and its alerts. */
import { first } from './sql';

export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** What one day (or a range of days) added up to. */
export interface DailyUsage {
  bandwidthBytes: number;
  transformations: number;
  videoSeconds: number;
}

export class UsageLedger {
  constructor(private readonly sql: SqlStorage) {}

  add(day: string, usage: Partial<DailyUsage>): void {
    this.sql.exec(
      `INSERT INTO usage_days (day, bandwidth_bytes, transformations, video_seconds) VALUES (?, ?, ?, ?)
       ON CONFLICT (day) DO UPDATE SET bandwidth_bytes = bandwidth_bytes + excluded.bandwidth_bytes,
         transformations = transformations + excluded.transformations, video_seconds = video_seconds + excluded.video_seconds`,
      day,
      usage.bandwidthBytes ?? 0,
      usage.transformations ?? 0,
      usage.videoSeconds ?? 0,
    );
  }

  /** Bytes delivered from `startDay` to `endDay`, both included (YYYY-MM-DD). */
  bandwidth(startDay: string, endDay: string): number {
    return this.between(startDay, endDay).bandwidthBytes;
  }

  /** Everything counted from `startDay` to `endDay`, both included. */
  between(startDay: string, endDay: string): DailyUsage {
    const row = first<{ bandwidth: number | null; transformations: number | null; video: number | null }>(
      this.sql,
      'SELECT SUM(bandwidth_bytes) AS bandwidth, SUM(transformations) AS transformations, SUM(video_seconds) AS video FROM usage_days WHERE day >= ? AND day <= ?',
      startDay,
      endDay,
    );
    return { bandwidthBytes: Number(row?.bandwidth ?? 0), transformations: Number(row?.transformations ?? 0), videoSeconds: Number(row?.video ?? 0) };
  }
}
