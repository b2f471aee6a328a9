/**
 * The JSON body fields the file and folder management routes share, checked before anything changes: a bad or
 * missing value is a 400 that names the field.
 */
import { checkFileName, normalizeFilePath, normalizeFolder } from '../library/paths';
import { badField } from './body';

type Body = Record<string, unknown>;

function requiredText(body: Body, field: string, expected: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '') throw badField(field, expected);
  return value;
}

/** A file's full path, e.g. `/folder/photo.jpg`. */
export function filePathField(body: Body, field: string): string {
  return normalizeFilePath(body[field], field);
}

/** A folder's full path (`/` for the root), e.g. `/folder/sub/`; the trailing slash is optional. */
export function folderPathField(body: Body, field: string): string {
  return normalizeFolder(requiredText(body, field, 'the path of a folder, e.g. "/folder/sub/" ("/" for the root)'), field);
}

/** An optional boolean; absent means `false`, as in every ImageKit flag these routes take. */
export function flagField(body: Body, field: string): boolean {
  const value = body[field];
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw badField(field, 'true or false');
  return value;
}

/**
 * A new file name. As ImageKit documents, letters, marks and digits of any script plus `.`, `_` and `-` are
 * kept and every other character (space, slash, …) becomes `_`, so a name can never leave its folder.
 */
export function fileNameField(body: Body, field: string): string {
  const raw = requiredText(body, field, 'a file name, e.g. "photo.jpg"');
  return checkFileName(raw.replace(/[^\p{L}\p{M}\p{N}._-]/gu, '_'), field);
}

/** A new folder name: letters, marks, digits, `_` and `-` are kept, anything else becomes `_` (ImageKit's rule). */
export function folderNameField(body: Body, field: string): string {
  return requiredText(body, field, 'a folder name, e.g. "summer"').replace(/[^\p{L}\p{M}\p{N}_-]/gu, '_');
}
