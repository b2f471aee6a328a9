/**
 * The status report as this isolate last read it, kept a few seconds: the page is read most when something is
 * wrong, and then the board should not be asked once per reader. A write this isolate makes (an incident, a
 * probe run) drops the kept copy, so its own next read sees it.
 */
import { memo } from '../cache/memo';
import type { Env } from '../env';
import { statusBoard } from './board';
import { type StatusReport, statusReport } from './report';

export const REPORT_TTL_MS = 10_000;

const kept = memo<Promise<StatusReport>>({ ttlMs: REPORT_TTL_MS, capacity: 1 });

export function currentReport(env: Pick<Env, 'STATUS_BOARD'>, now = Date.now()): Promise<StatusReport> {
  return kept.get('report', async () => statusReport(await statusBoard(env).snapshot(now), now), now);
}

export const forgetReport = () => kept.delete('report');
