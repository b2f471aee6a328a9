/** Making and dropping versions: the one place that knows a file keeps at most MAX_VERSIONS of them. */
import { newId } from '../ids';
import type { FileAttributes, FileRecord, MediaInfo, VersionRecord } from '../records';
import type { LibraryState } from './state';

export const MAX_VERSIONS = 100;

/** A new version record of `file` with the given bytes and attributes (not yet stored). */
export function newVersion(
  state: LibraryState,
  file: { id: string; path: string; name: string },
  content: { blob: string; media: MediaInfo },
  attributes: FileAttributes,
  id = newId(),
): VersionRecord {
  return {
    ...attributes,
    id,
    fileId: file.id,
    number: state.files.nextVersionNumber(file.id),
    blob: content.blob,
    media: content.media,
    name: file.name,
    path: file.path,
    createdAt: state.now,
    updatedAt: state.now,
  };
}

/** Stores `version`, makes it `file`'s current one and drops the oldest versions beyond the limit. */
export function addCurrentVersion(state: LibraryState, file: FileRecord, version: VersionRecord): FileRecord {
  state.files.insertVersion(version);
  const updated: FileRecord = { ...file, version, updatedAt: state.now };
  state.files.saveFile(updated);
  state.emit({ type: 'file-version.created', file: updated, version });
  const versions = state.files.versions(file.id);
  for (const old of versions.slice(0, Math.max(0, versions.length - MAX_VERSIONS))) {
    if (old.id !== version.id) dropVersion(state, old);
  }
  return updated;
}

/** Removes one (non-current) version; its bytes go with the next sweep when nothing else uses them. */
export function dropVersion(state: LibraryState, version: VersionRecord): void {
  state.files.deleteVersion(version.id);
  state.emit({ type: 'file-version.deleted', fileId: version.fileId, versionId: version.id });
}

/** The user-set attributes a version (or file) carries, without its identity or bytes. */
export function attributesOf(source: FileAttributes): FileAttributes {
  const { tags, customCoordinates, customMetadata, description, isPrivate, isPublished } = source;
  return { tags, customCoordinates, customMetadata, description, isPrivate, isPublished };
}
