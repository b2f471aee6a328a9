/** Files and their versions in SQLite: reading them as records, writing records back. */
import type { AiTag, FileAttributes, FileRecord, MediaInfo, VersionRecord, VideoProperties } from '../records';
import { bool, first, flag, JSON_LIST, parseJson, type Row, rows, type SqlValue } from './sql';

const VERSION_COLUMNS =
  'id, file_id, number, blob, size, mime, format, file_type, width, height, has_alpha, embedded_metadata, video, name, path, tags, custom_coordinates, custom_metadata, description, is_private, is_published, created_at, updated_at';

const FILE_SELECT = `SELECT f.id AS f_id, f.path AS f_path, f.folder AS f_folder, f.name AS f_name, f.tags AS f_tags,
  f.ai_tags AS f_ai_tags, f.custom_coordinates AS f_custom_coordinates, f.custom_metadata AS f_custom_metadata,
  f.description AS f_description, f.is_private AS f_is_private, f.is_published AS f_is_published,
  f.created_at AS f_created_at, f.updated_at AS f_updated_at, ${VERSION_COLUMNS.split(', ').map((c) => `v.${c}`).join(', ')}
  FROM files f JOIN versions v ON v.id = f.current_version`;

function attributes(row: Row, prefix = ''): FileAttributes {
  return {
    tags: parseJson<string[]>(row[`${prefix}tags`]!, []),
    customCoordinates: (row[`${prefix}custom_coordinates`] as string | null) ?? null,
    customMetadata: parseJson<Record<string, unknown>>(row[`${prefix}custom_metadata`]!, {}),
    description: (row[`${prefix}description`] as string | null) ?? null,
    isPrivate: bool(row[`${prefix}is_private`]!),
    isPublished: bool(row[`${prefix}is_published`]!),
  };
}

function versionFrom(row: Row): VersionRecord {
  const media: MediaInfo = {
    size: Number(row.size),
    mime: String(row.mime),
    format: String(row.format),
    fileType: row.file_type === 'image' ? 'image' : 'non-image',
    width: row.width === null ? null : Number(row.width),
    height: row.height === null ? null : Number(row.height),
    hasAlpha: row.has_alpha === null ? null : bool(row.has_alpha!),
    embeddedMetadata: parseJson<Record<string, unknown>>(row.embedded_metadata!, {}),
    video: parseJson<VideoProperties | undefined>(row.video ?? null, undefined),
  };
  return {
    ...attributes(row),
    id: String(row.id),
    fileId: String(row.file_id),
    number: Number(row.number),
    blob: String(row.blob),
    name: String(row.name),
    path: String(row.path),
    media,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function fileFrom(row: Row): FileRecord {
  return {
    ...attributes(row, 'f_'),
    id: String(row.f_id),
    path: String(row.f_path),
    folder: String(row.f_folder),
    name: String(row.f_name),
    aiTags: parseJson<AiTag[] | null>(row.f_ai_tags!, null),
    createdAt: Number(row.f_created_at),
    updatedAt: Number(row.f_updated_at),
    version: versionFrom(row),
  };
}

export class FileStore {
  constructor(private readonly sql: SqlStorage) {}

  byId(id: string): FileRecord | undefined {
    const row = first(this.sql, `${FILE_SELECT} WHERE f.id = ?`, id);
    return row && fileFrom(row);
  }

  byPath(path: string): FileRecord | undefined {
    const row = first(this.sql, `${FILE_SELECT} WHERE f.path = ?`, path);
    return row && fileFrom(row);
  }

  /** Files whose ids are in `ids`, in no particular order. */
  byIds(ids: string[]): FileRecord[] {
    if (ids.length === 0) return [];
    return rows(this.sql, `${FILE_SELECT} WHERE f.id IN ${JSON_LIST}`, JSON.stringify(ids)).map(fileFrom);
  }

  /** Every file in `folder` and its subfolders. */
  under(folder: string): FileRecord[] {
    return rows(this.sql, `${FILE_SELECT} WHERE substr(f.folder, 1, length(?)) = ?`, folder, folder).map(fileFrom);
  }

  /** Files whose ids come from a search, in the search's order. */
  ordered(ids: string[]): FileRecord[] {
    const found = new Map(this.byIds(ids).map((f) => [f.id, f]));
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  /** Files by id after `afterId`, at most `limit`, none past `lastId` when given: a library read in pages. */
  after(afterId: string, limit: number, lastId: string | null): FileRecord[] {
    return lastId === null
      ? rows(this.sql, `${FILE_SELECT} WHERE f.id > ? ORDER BY f.id LIMIT ?`, afterId, limit).map(fileFrom)
      : rows(this.sql, `${FILE_SELECT} WHERE f.id > ? AND f.id <= ? ORDER BY f.id LIMIT ?`, afterId, lastId, limit).map(fileFrom);
  }

  versions(fileId: string): VersionRecord[] {
    return rows(this.sql, `SELECT ${VERSION_COLUMNS} FROM versions WHERE file_id = ? ORDER BY number`, fileId).map(versionFrom);
  }

  version(fileId: string, versionId: string): VersionRecord | undefined {
    const row = first(this.sql, `SELECT ${VERSION_COLUMNS} FROM versions WHERE file_id = ? AND id = ?`, fileId, versionId);
    return row && versionFrom(row);
  }

  versionsByIds(ids: string[]): VersionRecord[] {
    if (ids.length === 0) return [];
    return rows(this.sql, `SELECT ${VERSION_COLUMNS} FROM versions WHERE id IN ${JSON_LIST}`, JSON.stringify(ids)).map(versionFrom);
  }

  nextVersionNumber(fileId: string): number {
    return Number(first<{ n: number | null }>(this.sql, 'SELECT MAX(number) AS n FROM versions WHERE file_id = ?', fileId)?.n ?? 0) + 1;
  }

  insertVersion(v: VersionRecord): void {
    const values: SqlValue[] = [
      v.id, v.fileId, v.number, v.blob, v.media.size, v.media.mime, v.media.format, v.media.fileType, v.media.width,
      v.media.height, v.media.hasAlpha === null ? null : flag(v.media.hasAlpha), JSON.stringify(v.media.embeddedMetadata),
      v.media.video ? JSON.stringify(v.media.video) : null,
      v.name, v.path, JSON.stringify(v.tags), v.customCoordinates, JSON.stringify(v.customMetadata), v.description,
      flag(v.isPrivate), flag(v.isPublished), v.createdAt, v.updatedAt,
    ];
    this.sql.exec(`INSERT INTO versions (${VERSION_COLUMNS}) VALUES (${values.map(() => '?').join(',')})`, ...values);
  }

  /** Writes the file row (insert or replace) with `file.version` as its current version. */
  saveFile(file: FileRecord): void {
    this.sql.exec(
      `INSERT INTO files (id, path, folder, name, current_version, is_private, is_published, tags, ai_tags,
         custom_coordinates, custom_metadata, description, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET path = excluded.path, folder = excluded.folder, name = excluded.name,
         current_version = excluded.current_version, is_private = excluded.is_private, is_published = excluded.is_published,
         tags = excluded.tags, ai_tags = excluded.ai_tags, custom_coordinates = excluded.custom_coordinates,
         custom_metadata = excluded.custom_metadata, description = excluded.description, updated_at = excluded.updated_at`,
      file.id, file.path, file.folder, file.name, file.version.id, flag(file.isPrivate), flag(file.isPublished),
      JSON.stringify(file.tags), file.aiTags === null ? null : JSON.stringify(file.aiTags), file.customCoordinates,
      JSON.stringify(file.customMetadata), file.description, file.createdAt, file.updatedAt,
    );
  }

  /** Keeps a version's remembered attributes in step with its file (the current version reads as the file). */
  syncVersion(file: FileRecord): void {
    this.sql.exec(
      `UPDATE versions SET name = ?, path = ?, tags = ?, custom_coordinates = ?, custom_metadata = ?, description = ?,
         is_private = ?, is_published = ?, updated_at = ? WHERE id = ?`,
      file.name, file.path, JSON.stringify(file.tags), file.customCoordinates, JSON.stringify(file.customMetadata),
      file.description, flag(file.isPrivate), flag(file.isPublished), file.updatedAt, file.version.id,
    );
  }

  /** Removes a file and all its versions. */
  deleteFile(id: string): void {
    this.sql.exec('DELETE FROM versions WHERE file_id = ?', id);
    this.sql.exec('DELETE FROM files WHERE id = ?', id);
  }

  deleteVersion(id: string): void {
    this.sql.exec('DELETE FROM versions WHERE id = ?', id);
  }

  /** Moves every version of a file to a new path (rename, move). */
  repathVersions(fileId: string, path: string, name: string): void {
    this.sql.exec('UPDATE versions SET path = ?, name = ? WHERE file_id = ?', path, name, fileId);
  }
}
