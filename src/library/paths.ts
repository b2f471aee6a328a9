/**
 * Paths in the media library. A file's path is its whole filePath (`/a/b/photo.jpg`); a folder path has both
 * slashes (`/a/b/`; the root is `/`). Delivery paths are the same without the leading slash.
 */
import { HttpError } from '../http/errors';

export const ROOT = '/';
export const MAX_FOLDER_DEPTH = 50;
// Stricter rules for what clients send live with each field (the upload form follows ImageKit's); stored paths
// only need to be unambiguous: no dot segments, no control characters, no backslashes.
const FOLDER_SEGMENT = /^(?!\.\.?$)[^\p{Cc}\\]+$/u;

/** `a/b`, `/a/b`, `/a/b/` → `/a/b/`; refuses dot segments, empty input stays the root. */
export function normalizeFolder(raw: string, field: string): string {
  const segments = raw.split('/').filter((s) => s !== '');
  if (segments.length > MAX_FOLDER_DEPTH) {
    throw new HttpError(400, `Invalid value for "${field}": at most ${MAX_FOLDER_DEPTH} folder levels`, 'Use a shallower folder.');
  }
  for (const segment of segments) {
    if (!FOLDER_SEGMENT.test(segment)) {
      throw new HttpError(
        400,
        `Invalid value for "${field}": "${segment.slice(0, 100)}" is not a valid folder name`,
        'Rename the folder.',
      );
    }
  }
  return segments.length === 0 ? ROOT : `/${segments.join('/')}/`;
}

/** A file's path from its folder and name. */
export const filePath = (folder: string, name: string) => `${folder}${name}`;

/** `/a/b/c.jpg` → `{ folder: '/a/b/', name: 'c.jpg' }`. */
export function splitFilePath(path: string): { folder: string; name: string } {
  const slash = path.lastIndexOf('/');
  return { folder: path.slice(0, slash + 1) || ROOT, name: path.slice(slash + 1) };
}

/** The parent of a folder path: `/a/b/` → `/a/`. */
export function parentFolder(folder: string): string {
  if (folder === ROOT) return ROOT;
  const trimmed = folder.slice(0, -1);
  return trimmed.slice(0, trimmed.lastIndexOf('/') + 1);
}

/** Every folder from the root's child down to `folder` itself: `/a/b/` → [`/a/`, `/a/b/`]. */
export function folderChain(folder: string): string[] {
  const segments = folder.split('/').filter((s) => s !== '');
  return segments.map((_, i) => `/${segments.slice(0, i + 1).join('/')}/`);
}

/** The last segment of a folder path: `/a/b/` → `b`. */
export function folderName(folder: string): string {
  const segments = folder.split('/').filter((s) => s !== '');
  return segments[segments.length - 1] ?? '';
}

/** A file path as the API receives it (`/a/b.jpg` or `a/b.jpg`), checked. */
export function normalizeFilePath(raw: unknown, field: string): string {
  if (typeof raw !== 'string' || raw.trim() === '' || raw.endsWith('/')) {
    throw new HttpError(400, `Invalid value for "${field}": expected the path of a file, e.g. "/folder/file.jpg"`, 'Fix the field and retry.');
  }
  const { folder, name } = splitFilePath(raw.startsWith('/') ? raw : `/${raw}`);
  return filePath(normalizeFolder(folder, field), checkFileName(name, field));
}

const MAX_NAME = 1024;

/** A stored file name: no slashes, no dot segments, bounded. */
export function checkFileName(name: string, field: string): string {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0') || name.length > MAX_NAME) {
    throw new HttpError(400, `Invalid value for "${field}": "${name.slice(0, 100)}" is not a valid file name`, 'Use a plain file name.');
  }
  return name;
}

/** `photo.jpg` → `photo_Ab3dE9xZ.jpg`: ImageKit's useUniqueFileName suffix. */
export function uniqueName(name: string, suffix: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}_${suffix}${name.slice(dot)}` : `${name}_${suffix}`;
}

/** Whether `path` (file or folder) lies inside `folder` (at any depth). */
export const isInside = (path: string, folder: string) => folder === ROOT || path.startsWith(folder);
