/**
 * The JSON body fields the file and folder management routes share, checked before anything changes: a bad or
 * missing value is a 400 that names the field.
 */
import { checkFileName, normalizeFilePath, normalizeFolder } from '../library/paths';
import { checkField, text } from '../validate/fields';

type Body = Record<string, unknown>;


/** A file's full path, e.g. `/folder/photo.jpg`. */
export function filePathField(body: Body, field: string): string {
  return normalizeFilePath(body[field], field);
}

/** A folder's full path (`/` for the root), e.g. `/folder/sub/`; the trailing slash is optional. */
export function folderPathField(body: Body, field: string): string {
  return normalizeFolder(checkField(body, field, text('the path of a folder, e.g. "/folder/sub/" ("/" for the root)', { nonBlank: true })), field);
}

/**
 * A new file name. As ImageKit documents, letters, marks and digits of any script plus `.`, `_` and `-` are
 * kept and every other character (space, slash, …) becomes `_`, so a name can never leave its folder.
 */
export function fileNameField(body: Body, field: string): string {
  const raw = checkField(body, field, text('a file name, e.g. "photo.jpg"', { nonBlank: true }));
  return checkFileName(raw.replace(/[^\p{L}\p{M}\p{N}._-]/gu, '_'), field);
}

/** A new folder name: letters, marks, digits, `_` and `-` are kept, anything else becomes `_` (ImageKit's rule). */
export function folderNameField(body: Body, field: string): string {
  return checkField(body, field, text('a folder name, e.g. "summer"', { nonBlank: true })).replace(/[^\p{L}\p{M}\p{N}_-]/gu, '_');
}
