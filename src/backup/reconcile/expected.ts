/**
 * What the library says the backup bucket holds between two keys, read inside the library object. Keys are
 * relative to the tenant's prefix and laid out by src/backup/keys.ts in three trees:
 *
 *   files/<path>                  the current bytes      compared by size
 *   records/<path>.json           the file record        compared by its stamp (file, current version, last change)
 *   versions/<fileId>/<versionId> every version's bytes  compared by size
 *   versions/<fileId>/<versionId>.json                   compared by its stamp (file, version)
 *
 * A range is (lo, hi] in S3's key order (byte order of UTF-8, which SQLite's BINARY collation shares). Each
 * tree is read in key order with a LIMIT; when a tree holds more, the range answered ends where what was read
 * is known to be complete, so a caller walks the bucket in bounded steps and never misses a key.
 */
import type { FileRecord, VersionRecord } from '../../library/records';
import type { FileStore } from '../../library/store/files';
import { JSON_LIST, rows } from '../../library/store/sql';
import { currentKey, recordKey, versionKey, versionRecordKey } from '../keys';

export interface ExpectedKey {
  /** Relative to the tenant's prefix. */
  key: string;
  kind: 'bytes' | 'sidecar';
  size?: number;
  stamp?: string;
  fileId: string;
  versionId: string;
}

export interface ExpectedRange {
  /** Sorted by key. */
  objects: ExpectedKey[];
  /** Where the answered range ends (inclusive); null: the end of the bucket. */
  hi: string | null;
}

export const recordStamp = (file: Pick<FileRecord, 'id' | 'updatedAt'> & { version: { id: string } }) =>
  `${file.id}/${file.version.id}/${file.updatedAt}`;
export const versionStamp = (version: Pick<VersionRecord, 'fileId' | 'id'>) => `${version.fileId}/${version.id}`;

/** The stamp a sidecar's text carries, or null when it is not a record the mirror wrote. */
export function sidecarStamp(key: string, text: string): string | null {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof record !== 'object' || record === null) return null;
  if (key.startsWith('records/')) {
    const version = record.version as { id?: unknown } | undefined;
    if (typeof record.id !== 'string' || typeof version?.id !== 'string' || typeof record.updatedAt !== 'number') return null;
    return recordStamp({ id: record.id, updatedAt: record.updatedAt, version: { id: version.id } });
  }
  if (typeof record.fileId !== 'string' || typeof record.id !== 'string') return null;
  return versionStamp({ fileId: record.fileId, id: record.id });
}

const FILES = 'files/';
const RECORDS = 'records/';
const VERSIONS = 'versions/';

/** A range clipped to one tree, as bounds on what follows the tree's prefix; null when they do not meet. */
function clip(tree: string, lo: string | null, hi: string | null): { lo: string | null; hi: string | null } | null {
  let treeLo: string | null = null;
  if (lo !== null && lo >= tree) {
    // A bound past the tree's prefix that does not start with it lies after every key of the tree.
    if (!lo.startsWith(tree)) return null;
    treeLo = lo.slice(tree.length);
  }
  let treeHi: string | null = null;
  if (hi !== null) {
    if (hi.startsWith(tree)) treeHi = hi.slice(tree.length);
    else if (hi < tree) return null;
  }
  return { lo: treeLo, hi: treeHi };
}

/** `lo` < key ≤ `hi`. */
const within = (key: string, lo: string | null, hi: string | null) => (lo === null || key > lo) && (hi === null || key <= hi);

/** Every prefix of `text`, itself included: the paths whose record key may follow `text` while they precede it. */
const prefixesOf = (text: string) => Array.from({ length: text.length }, (_, i) => text.slice(0, i + 1));

export function expectedInRange(sql: SqlStorage, files: FileStore, lo: string | null, hi: string | null, limit: number): ExpectedRange {
  const found: ExpectedKey[] = [];
  /** The smallest end of a tree that had more than it answered. */
  let end = hi;
  const shorten = (bound: string) => {
    if (end === null || bound < end) end = bound;
  };

  const current = (file: FileRecord) => ({ fileId: file.id, versionId: file.version.id });

  const filesRange = clip(FILES, lo, hi);
  if (filesRange) {
    const ids = rows<{ id: string; path: string }>(
      sql,
      `SELECT id, path FROM files WHERE (? IS NULL OR path > ?) AND (? IS NULL OR path <= ?) ORDER BY path LIMIT ?`,
      ...pathBounds(filesRange),
      limit,
    );
    for (const file of byIdsInOrder(files, ids)) {
      found.push({ key: currentKey('', file.path), kind: 'bytes', size: file.version.media.size, ...current(file) });
    }
    if (ids.length === limit) shorten(currentKey('', ids.at(-1)!.path));
  }

  const recordsRange = clip(RECORDS, lo, hi);
  if (recordsRange) {
    const low = recordsRange.lo === null ? null : `/${recordsRange.lo}`;
    const high = recordsRange.hi === null ? null : `/${recordsRange.hi}`;
    // `<path>.json` follows `lo` when the path does, or when the path is a prefix of `lo` (`a` precedes `a b`, yet
    // `a.json` follows `a b.json`): those few are read apart, the others in path order with the LIMIT.
    const prefixed = low === null ? [] : rows<{ id: string; path: string }>(
      sql,
      `SELECT id, path FROM files WHERE path IN ${JSON_LIST} AND (? IS NULL OR path <= ?)`,
      JSON.stringify(prefixesOf(low)),
      high,
      high,
    );
    const after = rows<{ id: string; path: string }>(
      sql,
      `SELECT id, path FROM files WHERE (? IS NULL OR path > ?) AND (? IS NULL OR path <= ?) ORDER BY path LIMIT ?`,
      ...pathBounds(recordsRange),
      limit,
    );
    for (const file of byIdsInOrder(files, [...prefixed, ...after])) {
      found.push({ key: recordKey('', file.path), kind: 'sidecar', stamp: recordStamp(file), ...current(file) });
    }
    // A path after the last one read may have its record sort before that path's record, never before the path.
    if (after.length === limit) shorten(`${RECORDS}${after.at(-1)!.path.replace(/^\/+/, '')}`);
  }

  const versionsRange = clip(VERSIONS, lo, hi);
  if (versionsRange) {
    // Ids are fixed-length hex, so (file id, version id) order is key order; only the version `lo` names may lie
    // wholly at or before `lo`, so one row more is read and that one dropped.
    const [fileLo = null, versionLo = ''] = versionsRange.lo === null ? [] : versionsRange.lo.split('/');
    const fileHi = versionsRange.hi === null ? null : versionsRange.hi.split('/')[0]!;
    const read = rows<{ file_id: string; id: string; size: number }>(
      sql,
      `SELECT file_id, id, size FROM versions WHERE (? IS NULL OR (file_id, id) >= (?, ?)) AND (? IS NULL OR file_id <= ?)
         ORDER BY file_id, id LIMIT ?`,
      fileLo,
      fileLo,
      versionLo.replace(/\.json$/, ''),
      fileHi,
      fileHi,
      limit + 1,
    );
    const versions = read.filter((v) => lo === null || versionRecordKey('', v.file_id, v.id) > lo).slice(0, limit);
    for (const v of versions) {
      const ids = { fileId: v.file_id, versionId: v.id };
      found.push({ key: versionKey('', v.file_id, v.id), kind: 'bytes', size: Number(v.size), ...ids });
      found.push({ key: versionRecordKey('', v.file_id, v.id), kind: 'sidecar', stamp: versionStamp({ fileId: v.file_id, id: v.id }), ...ids });
    }
    if (read.length > limit) shorten(versionRecordKey('', versions.at(-1)!.file_id, versions.at(-1)!.id));
  }

  const objects = found.filter((o) => within(o.key, lo, end)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { objects, hi: end };
}

/** SQL bounds on `files.path` (which starts with '/') for a range of what follows a tree's prefix. */
function pathBounds(range: { lo: string | null; hi: string | null }): (string | null)[] {
  const lo = range.lo === null ? null : `/${range.lo}`;
  const hi = range.hi === null ? null : `/${range.hi}`;
  return [lo, lo, hi, hi];
}

/** The file records of `ids`, in their order. */
function byIdsInOrder(files: FileStore, ids: { id: string }[]): FileRecord[] {
  return files.ordered(ids.map((r) => r.id));
}
