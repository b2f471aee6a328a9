/**
 * `GET /v1/files`: listing and searching, as one query over the `assets` view (files, older versions,
 * folders). A searchQuery replaces the legacy `type`, `tags` and `name` parameters, as in ImageKit.
 */
import { compileSearch } from '../search/compile';
import { orderBy } from '../search/sort';
import type { FileRecord, FolderRecord, VersionRecord } from '../records';
import { JSON_LIST, rows, type SqlValue } from '../store/sql';
import type { LibraryState } from './state';

export interface ListQuery {
  type: 'file' | 'file-version' | 'folder' | 'all';
  sort?: string;
  /** Only what lies directly in this folder (`/a/b/`). */
  path?: string;
  searchQuery?: string;
  fileType: 'all' | 'image' | 'non-image';
  limit: number;
  skip: number;
  tags?: string[];
  name?: string;
}

export type ListedAsset =
  | { kind: 'file'; file: FileRecord; version: VersionRecord }
  | { kind: 'folder'; folder: FolderRecord };

const TYPES: Record<ListQuery['type'], string[]> = {
  file: ['file'],
  'file-version': ['file-version'],
  folder: ['folder'],
  all: ['file', 'folder'],
};

export function listAssets(state: LibraryState, query: ListQuery): ListedAsset[] {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const add = (clause: string, ...values: SqlValue[]) => {
    where.push(clause);
    params.push(...values);
  };
  let types = TYPES[query.type];
  if (query.searchQuery) {
    const fields = new Map(state.fields.active().map((f) => [f.name, f.schema.type]));
    const search = compileSearch(query.searchQuery, { customFields: (name) => fields.get(name), now: state.now });
    add(`(${search.where})`, ...search.params);
    if (search.mentionsType) types = [];
    else types = ['file'];
  } else {
    if (query.tags?.length) {
      add(`EXISTS (SELECT 1 FROM json_each(assets.tags) t WHERE t.value IN ${JSON_LIST})`, JSON.stringify(query.tags));
    }
    if (query.name !== undefined) add('name = ?', query.name);
  }
  if (types.length > 0) add(`type IN ${JSON_LIST}`, JSON.stringify(types));
  if (query.path !== undefined) add('folder = ?', query.path);
  if (query.fileType !== 'all') add('file_type = ?', query.fileType);
  const sql = `SELECT type, id, file_id FROM assets ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ${orderBy(query.sort)} LIMIT ? OFFSET ?`;
  const found = rows<{ type: string; id: string; file_id: string | null }>(state.sql, sql, ...params, query.limit, query.skip);
  return resolve(state, found);
}

/** From the rows search found to records, keeping the order. */
function resolve(state: LibraryState, found: { type: string; id: string; file_id: string | null }[]): ListedAsset[] {
  const fileIds = [...new Set(found.flatMap((r) => (r.file_id ? [r.file_id] : [])))];
  const files = new Map(state.files.byIds(fileIds).map((f) => [f.id, f]));
  const versions = new Map(state.files.versionsByIds(found.filter((r) => r.type === 'file-version').map((r) => r.id)).map((v) => [v.id, v]));
  const folders = new Map(state.folders.byIds(found.filter((r) => r.type === 'folder').map((r) => r.id)).map((f) => [f.id, f]));
  return found.flatMap((row): ListedAsset[] => {
    if (row.type === 'folder') {
      const folder = folders.get(row.id);
      return folder ? [{ kind: 'folder', folder }] : [];
    }
    const file = files.get(row.file_id ?? '');
    const version = row.type === 'file' ? file?.version : versions.get(row.id);
    return file && version ? [{ kind: 'file', file, version }] : [];
  });
}
