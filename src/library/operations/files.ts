/** Changes to existing files: details, publishing, tags, deletion, versions. */
import { HttpError } from '../../http/errors';
import { applyPatch, validateCustomMetadataValues } from '../custom-metadata';
import { checkTags } from '../field-rules';
import type { AiTag, FileRecord, VersionRecord } from '../records';
import { fileNotFound, missingFiles, versionNotFound } from './errors';
import type { LibraryState } from './state';
import { dropVersion } from './versions';

export function requireFile(state: LibraryState, id: string): FileRecord {
  const file = state.files.byId(id);
  if (!file) throw fileNotFound();
  return file;
}

export function requireVersion(state: LibraryState, fileId: string, versionId: string): { file: FileRecord; version: VersionRecord } {
  const file = requireFile(state, fileId);
  const version = state.files.version(fileId, versionId);
  if (!version) throw versionNotFound();
  return { file, version };
}

/** The fields of `PATCH /v1/files/:id/details` this library stores (validated by the route). */
export interface DetailsPatch {
  tags?: string[];
  customCoordinates?: string | null;
  /** Values to set; a null value removes the key. */
  customMetadata?: Record<string, unknown>;
  description?: string;
  removeAITags?: string[] | 'all';
}

export function updateDetails(state: LibraryState, id: string, patch: DetailsPatch): FileRecord {
  const file = requireFile(state, id);
  const updated: FileRecord = { ...file, updatedAt: state.now };
  if (patch.tags !== undefined) updated.tags = patch.tags;
  if (patch.customCoordinates !== undefined) updated.customCoordinates = patch.customCoordinates;
  if (patch.description !== undefined) updated.description = patch.description;
  if (patch.customMetadata !== undefined) {
    const checked = validateCustomMetadataValues(patch.customMetadata, state.fields.active(), { partial: true });
    updated.customMetadata = applyPatch(file.customMetadata, checked);
  }
  if (patch.removeAITags !== undefined) updated.aiTags = withoutAiTags(file.aiTags, patch.removeAITags);
  return save(state, updated);
}

function withoutAiTags(tags: AiTag[] | null, remove: string[] | 'all'): AiTag[] | null {
  if (remove === 'all' || !tags) return null;
  const kept = tags.filter((t) => !remove.includes(t.name));
  return kept.length > 0 ? kept : null;
}

export function publish(state: LibraryState, id: string, isPublished: boolean, includeFileVersions: boolean): FileRecord {
  const file = requireFile(state, id);
  const updated = save(state, { ...file, isPublished, updatedAt: state.now });
  if (includeFileVersions) {
    state.sql.exec('UPDATE versions SET is_published = ?, updated_at = ? WHERE file_id = ?', isPublished ? 1 : 0, state.now, id);
  }
  return updated;
}

function save(state: LibraryState, file: FileRecord): FileRecord {
  state.files.saveFile(file);
  state.files.syncVersion(file);
  const saved = { ...file, version: state.files.version(file.id, file.version.id)! };
  state.emit({ type: 'file.updated', file: saved });
  return saved;
}

/** Deletes a file with every version; answers the path it had. */
export function deleteFile(state: LibraryState, id: string): string {
  const file = requireFile(state, id);
  removeFile(state, file);
  return file.path;
}

/** Deletes a file with every version; the bytes go with the next sweep. */
export function removeFile(state: LibraryState, file: { id: string; path: string }): void {
  state.files.deleteFile(file.id);
  state.emit({ type: 'file.deleted', fileId: file.id, path: file.path });
}

/** Fails with the list of missing ids when any id is unknown, so a bulk call changes all or nothing. */
export function requireAll(state: LibraryState, ids: string[]): FileRecord[] {
  const found = state.files.byIds(ids);
  const known = new Set(found.map((f) => f.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length > 0) throw missingFiles(missing);
  return found;
}

export function addTags(state: LibraryState, ids: string[], tags: string[]): string[] {
  for (const file of requireAll(state, ids)) {
    // The merged tags obey the same limits as tags sent whole; one file over them fails the whole call.
    save(state, { ...file, tags: checkTags([...file.tags, ...tags], 'tags'), updatedAt: state.now });
  }
  return ids;
}

export function removeTags(state: LibraryState, ids: string[], tags: string[]): string[] {
  for (const file of requireAll(state, ids)) {
    save(state, { ...file, tags: file.tags.filter((t) => !tags.includes(t)), updatedAt: state.now });
  }
  return ids;
}

export function removeAiTags(state: LibraryState, ids: string[], tags: string[]): string[] {
  for (const file of requireAll(state, ids)) {
    save(state, { ...file, aiTags: withoutAiTags(file.aiTags, tags), updatedAt: state.now });
  }
  return ids;
}

export function deleteVersion(state: LibraryState, fileId: string, versionId: string): void {
  const { file, version } = requireVersion(state, fileId, versionId);
  if (version.id === file.version.id) {
    throw new HttpError(400, 'You cannot delete current version of a file.', 'Restore another version first, or delete the file.');
  }
  dropVersion(state, version);
}

/** Makes an older version current again, with the attributes it had. */
export function restoreVersion(state: LibraryState, fileId: string, versionId: string): FileRecord {
  const { file, version } = requireVersion(state, fileId, versionId);
  const restored: FileRecord = {
    ...file,
    tags: version.tags,
    customCoordinates: version.customCoordinates,
    customMetadata: version.customMetadata,
    description: version.description,
    isPrivate: version.isPrivate,
    isPublished: version.isPublished,
    version,
    updatedAt: state.now,
  };
  return save(state, restored);
}
