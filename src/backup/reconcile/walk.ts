/**
 * Every file and every version of a tenant's library, a page at a time, through the library's own listing
 * (`list`, the query behind GET /v1/files): current versions first, then the older ones. The order is the
 * creation time with the id breaking ties, so a file created during the walk lands at its end; a file deleted
 * during it may shift a later one into a page already read, which the next walk sees.
 */
import type { LibraryClient } from '../../library/client';
import type { FileRecord, VersionRecord } from '../../library/records';

export interface WalkCursor {
  /** `file`: current versions; `file-version`: the older ones. */
  type: 'file' | 'file-version';
  skip: number;
}

export interface WalkedVersion {
  file: FileRecord;
  version: VersionRecord;
  /** Whether `version` is the file's current one. */
  current: boolean;
}

export const WALK_START: WalkCursor = { type: 'file', skip: 0 };

/** One page of at most `limit` versions from `cursor`, and where the next page starts (null: the walk is over). */
export async function walkPage(
  library: Pick<LibraryClient, 'list'>,
  cursor: WalkCursor,
  limit: number,
): Promise<{ versions: WalkedVersion[]; next: WalkCursor | null }> {
  const assets = await library.list({ type: cursor.type, sort: 'ASC_CREATED', fileType: 'all', limit, skip: cursor.skip });
  const versions = assets.flatMap((asset) =>
    asset.kind === 'file' ? [{ file: asset.file, version: asset.version, current: cursor.type === 'file' }] : [],
  );
  if (assets.length === limit) return { versions, next: { type: cursor.type, skip: cursor.skip + limit } };
  return { versions, next: cursor.type === 'file' ? { type: 'file-version', skip: 0 } : null };
}

/** The whole walk, page by page. */
export async function* walkLibrary(library: Pick<LibraryClient, 'list'>, pageSize = 1000): AsyncGenerator<WalkedVersion[]> {
  for (let cursor: WalkCursor | null = WALK_START; cursor; ) {
    const page = await walkPage(library, cursor, pageSize);
    yield page.versions;
    cursor = page.next;
  }
}
