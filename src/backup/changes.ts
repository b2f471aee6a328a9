/**
 * Which backup change a library event is. The library emits one event per change it commits (its webhook
 * events), so hooking backup on the same call covers every operation — uploads, versions, copies, details and
 * tags, publishing, moves and renames of files and folders, deletes, version restores and deletes — with no
 * operation able to forget it.
 */
import type { LibraryEvent } from '../library/events';
import type { FileRecord, VersionRecord } from '../library/records';
import type { BackupChange } from './message';

export type NewChange = Omit<BackupChange, 'prevPath' | 'prevVersionId'>;

export function changeOf(event: LibraryEvent, at: number, knownPath: (fileId: string) => string | undefined): NewChange | null {
  switch (event.type) {
    case 'file.created':
      return put(event.file, event.file.version, at);
    case 'file-version.created':
      return put(event.file, event.version, at);
    case 'file.updated':
      return {
        op: 'update',
        fileId: event.file.id,
        versionId: event.file.version.id,
        path: event.file.path,
        blob: event.file.version.blob,
        size: event.file.version.media.size,
        file: event.file,
        at,
      };
    case 'file.deleted': {
      const path = event.path ?? knownPath(event.fileId);
      return path === undefined ? null : { op: 'delete', fileId: event.fileId, versionId: null, path, blob: null, size: null, at };
    }
    case 'file-version.deleted': {
      const path = knownPath(event.fileId);
      if (path === undefined) return null;
      return { op: 'version-delete', fileId: event.fileId, versionId: event.versionId, path, blob: null, size: null, at };
    }
    default:
      // A video job's progress changes nothing in the library.
      return null;
  }
}

/** A version's bytes (and, when it is the current one, the file's current path and record). */
export function put(file: FileRecord, version: VersionRecord, at: number): NewChange {
  return { op: 'put', fileId: file.id, versionId: version.id, path: file.path, blob: version.blob, size: version.media.size, file, version, at };
}
