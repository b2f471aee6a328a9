/**
 * Reconcile: walks the tenant's bucket in key order, a listing page at a time, compares each page with what
 * the library says that range should hold (expected.ts), and repairs the drift through the library's backup
 * outbox — the same changes, messages and consumer as live mirroring — so a repair is ordered with every other
 * change of its file and path, and is retried like them.
 *
 * A pass is bounded per call (`maxSteps` pages) and resumable: the last key compared is saved with the repairs
 * of its page, in the library's transaction, so the next call (the cron's, or the API's) continues after it.
 * The bucket is listed before the library is read, so an object mirrored after the listing is never taken for
 * a stray one; a version missing because its change is still on its way is skipped by the library.
 */
import type { ListPage } from '../bucket';
import { diffBucket, type DeletePolicy } from './diff';
import { type ExpectedRange, sidecarStamp } from './expected';

/** Keys a listing page holds, and so what one step compares. */
export const RECONCILE_PAGE = 500;

export interface ReconcileReport {
  status: 'running' | 'done';
  startedAt: number;
  finishedAt: number | null;
  /** The last key (relative to the prefix) compared; the next step lists after it. */
  marker: string | null;
  keysCompared: number;
  missing: number;
  stale: number;
  orphaned: number;
  /** Orphans left in place: the tenant keeps deleted files. */
  kept: number;
  /** Versions queued to be written again. */
  repaired: number;
  /** Objects queued to be deleted. */
  removed: number;
}

export interface VersionRef {
  fileId: string;
  versionId: string;
}

/** What reconcile asks of the tenant's library (MediaLibrary's backup methods). */
export interface ReconcileLibrary {
  backupExpected(lo: string | null, hi: string | null, limit: number): Promise<ExpectedRange>;
  /** Queues the repairs, adds what it queued to the report and saves it, in one transaction; answers the saved report. */
  backupRepair(versions: VersionRef[], removals: string[], report: ReconcileReport): Promise<ReconcileReport>;
}

/** What reconcile reads of the bucket. */
export interface ReconcileBucket {
  listPage(prefix: string, marker: string | null, maxKeys: number): Promise<ListPage>;
  getText(key: string): Promise<string | null>;
}

export interface ReconcileTarget {
  bucket: ReconcileBucket;
  prefix: string;
  deletes: DeletePolicy;
}

/** Objects that "test connection" writes and deletes at once: never compared. */
const PROBE = /^\.edgepix-probe-/;

export function newReport(now: number): ReconcileReport {
  return { status: 'running', startedAt: now, finishedAt: null, marker: null, keysCompared: 0, missing: 0, stale: 0, orphaned: 0, kept: 0, repaired: 0, removed: 0 };
}

/** Runs up to `maxSteps` pages of a pass from `report` (a new pass when it is done); answers the report saved. */
export async function reconcile(
  library: ReconcileLibrary,
  target: ReconcileTarget,
  report: ReconcileReport,
  options: { maxSteps: number; pageSize?: number; now?: () => number },
): Promise<ReconcileReport> {
  const now = options.now ?? Date.now;
  let current = report.status === 'done' ? newReport(now()) : report;
  for (let step = 0; step < options.maxSteps && current.status === 'running'; step++) {
    current = await reconcileStep(library, target, current, options.pageSize ?? RECONCILE_PAGE, now);
  }
  return current;
}

async function reconcileStep(
  library: ReconcileLibrary,
  target: ReconcileTarget,
  report: ReconcileReport,
  pageSize: number,
  now: () => number,
): Promise<ReconcileReport> {
  const root = target.prefix ? `${target.prefix}/` : '';
  const full = (key: string) => `${root}${key}`;
  const page = await target.bucket.listPage(root, report.marker === null ? null : full(report.marker), pageSize);
  const listed = page.objects.map((o) => ({ ...o, key: o.key.slice(root.length) }));
  // The listing ends the range unless it was the last page; the library may end it sooner (expected.ts).
  const listedEnd = page.next === null ? null : page.next.slice(root.length);
  const expected = await library.backupExpected(report.marker, listedEnd, pageSize);
  const end = expected.hi;
  if (end !== null && report.marker !== null && end <= report.marker) {
    throw new Error(`reconcile made no progress after ${JSON.stringify(report.marker)}`);
  }
  const inRange = listed.filter((o) => (end === null || o.key <= end) && !PROBE.test(o.key));
  const present = new Set(inRange.map((o) => o.key));
  const sidecarStamps = new Map<string, string | null>();
  for (const object of expected.objects) {
    if (object.kind !== 'sidecar' || !present.has(object.key)) continue;
    const text = await target.bucket.getText(full(object.key));
    sidecarStamps.set(object.key, text === null ? null : sidecarStamp(object.key, text));
  }
  const drift = diffBucket(
    expected.objects.map((o) => ({ ...o, repair: { id: `${o.fileId}/${o.versionId}`, message: { fileId: o.fileId, versionId: o.versionId } } })),
    { objects: inRange, sidecarStamps },
    target.deletes,
  );
  const next: ReconcileReport = {
    ...report,
    marker: end,
    keysCompared: report.keysCompared + inRange.length,
    missing: report.missing + drift.missing,
    stale: report.stale + drift.stale,
    orphaned: report.orphaned + drift.orphaned,
    kept: report.kept + drift.kept,
    ...(end === null ? { status: 'done', finishedAt: now() } : {}),
  };
  return library.backupRepair(drift.repairs, drift.deletes, next);
}
