/**
 * Copying, moving and renaming files and folders. Bytes are shared by content hash, so none of this touches
 * R2: a copy is new records pointing at the same blobs. As in ImageKit, a file that lands on an existing
 * file's path is appended to that file's version history instead of replacing it.
 */
import { HttpError } from '../../http/errors';
import { newId } from '../ids';
import { filePath, folderName, isInside, parentFolder, ROOT, splitFilePath } from '../paths';
import type { FileRecord, VersionRecord } from '../records';
import { fileExists, noFileAtPath, noFolderAtPath } from './errors';
import { removeFile } from './files';
import type { LibraryState } from './state';
import { addCurrentVersion, attributesOf, newVersion } from './versions';

function requireAt(state: LibraryState, path: string): FileRecord {
  const file = state.files.byPath(path);
  if (!file) throw noFileAtPath(path);
  return file;
}

/** Versions a copy carries: all of them (oldest first, current last) or only the current one. */
function carried(state: LibraryState, file: FileRecord, allVersions: boolean): VersionRecord[] {
  if (!allVersions) return [file.version];
  return [...state.files.versions(file.id).filter((v) => v.id !== file.version.id), file.version];
}

/** Puts copies of `versions` at `path`: a new file, or new versions of the file already there. */
function landAt(state: LibraryState, path: string, versions: VersionRecord[]): void {
  const { folder, name } = splitFilePath(path);
  state.folders.ensure(folder, state.now);
  let target = state.files.byPath(path);
  for (const source of versions) {
    const attributes = attributesOf(source);
    if (!target) {
      const id = newId();
      const version = newVersion(state, { id, path, name }, source, attributes, id);
      state.files.insertVersion(version);
      target = { ...attributes, id, path, folder, name, aiTags: null, createdAt: state.now, updatedAt: state.now, version };
      state.files.saveFile(target);
      state.emit({ type: 'file.created', file: target });
    } else {
      // The copied version becomes current, so the file reads with its attributes (as an upload's would).
      target = addCurrentVersion(state, { ...target, ...attributes }, newVersion(state, target, source, attributes));
    }
  }
}

/** Moves a file to `path`, keeping its id and history when the path is free. */
function relocate(state: LibraryState, file: FileRecord, path: string): void {
  if (path === file.path) return;
  if (state.files.byPath(path)) {
    landAt(state, path, carried(state, file, true));
    removeFile(state, file);
    return;
  }
  const { folder, name } = splitFilePath(path);
  state.folders.ensure(folder, state.now);
  const moved: FileRecord = { ...file, path, folder, name, updatedAt: state.now };
  state.files.saveFile(moved);
  state.files.repathVersions(file.id, path, name);
  state.emit({ type: 'file.updated', file: { ...moved, version: { ...moved.version, path, name } } });
}

export function copyFile(state: LibraryState, sourcePath: string, destinationFolder: string, includeVersions: boolean): void {
  const file = requireAt(state, sourcePath);
  const target = filePath(destinationFolder, file.name);
  if (target === file.path) throw new HttpError(400, 'The source and the destination are the same file.', 'Copy into another folder.');
  landAt(state, target, carried(state, file, includeVersions));
}

export function moveFile(state: LibraryState, sourcePath: string, destinationFolder: string): void {
  const file = requireAt(state, sourcePath);
  relocate(state, file, filePath(destinationFolder, file.name));
}

export function renameFile(state: LibraryState, path: string, newName: string): FileRecord {
  const file = requireAt(state, path);
  const target = filePath(file.folder, newName);
  if (target !== file.path && state.files.byPath(target)) throw fileExists(target);
  relocate(state, file, target);
  return state.files.byId(file.id)!;
}

function requireFolder(state: LibraryState, path: string): void {
  if (!state.folders.exists(path)) throw noFolderAtPath(path);
}

/** The root holds the whole library: it can be neither renamed nor deleted. */
function refuseRoot(path: string, what: string): void {
  if (path === ROOT) throw new HttpError(400, `The root folder cannot be ${what}.`, 'Name a folder below the root.');
}

/** Where a folder lands when copied or moved into `destination`: `/a/b/` into `/c/` → `/c/b/`. */
function landingFolder(source: string, destination: string): string {
  const target = `${destination}${folderName(source)}/`;
  if (isInside(target, source)) {
    throw new HttpError(400, 'A folder cannot be copied or moved into itself.', 'Choose a destination outside the source folder.');
  }
  return target;
}

export function copyFolder(state: LibraryState, source: string, destination: string, includeVersions: boolean): void {
  requireFolder(state, source);
  const target = landingFolder(source, destination);
  for (const folder of state.folders.tree(source)) state.folders.ensure(target + folder.path.slice(source.length), state.now);
  for (const file of state.files.under(source)) {
    landAt(state, target + file.path.slice(source.length), carried(state, file, includeVersions));
  }
}

export function moveFolder(state: LibraryState, source: string, destination: string): void {
  requireFolder(state, source);
  const target = landingFolder(source, destination);
  rebaseFolder(state, source, target);
}

export function renameFolder(state: LibraryState, source: string, newName: string): string {
  refuseRoot(source, 'renamed');
  requireFolder(state, source);
  const target = `${parentFolder(source)}${newName}/`;
  if (target === source) return target;
  if (state.folders.exists(target)) {
    throw new HttpError(409, `A folder already exists at ${target}.`, 'Choose another name.', { 'x-should-retry': 'false' }, { reason: 'FOLDER_ALREADY_EXISTS' });
  }
  rebaseFolder(state, source, target);
  return target;
}

function rebaseFolder(state: LibraryState, source: string, target: string): void {
  for (const folder of state.folders.tree(source)) state.folders.ensure(target + folder.path.slice(source.length), state.now);
  for (const file of state.files.under(source)) relocate(state, file, target + file.path.slice(source.length));
  state.folders.deleteTree(source);
}

export function createFolder(state: LibraryState, folder: string): void {
  state.folders.ensure(folder, state.now);
}

/** Deletes a folder with everything in it. */
export function deleteFolder(state: LibraryState, folder: string): void {
  refuseRoot(folder, 'deleted');
  requireFolder(state, folder);
  for (const file of state.files.under(folder)) removeFile(state, file);
  state.folders.deleteTree(folder);
}
