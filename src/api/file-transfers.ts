/**
 * Copying, moving and renaming files, as `@imagekit/nodejs` (resources/files/files.ts) calls them:
 *
 *   POST /v1/files/copy    {sourceFilePath, destinationPath, includeFileVersions?}  → 204
 *   POST /v1/files/move    {sourceFilePath, destinationPath}                        → 204
 *   PUT  /v1/files/rename  {filePath, newFileName, purgeCache?}                     → 200 {} | {purgeRequestId}
 *
 * `destinationPath` is a folder. A file landing on an existing file's path is appended to that file's version
 * history; a rename onto a taken name is a 409 (`reason: "FILE_ALREADY_EXISTS"`), an unknown source a 404.
 * All need `files: read_write` and are audited.
 */
import { checkField, flag } from '../validate/fields';
import { readJsonObject } from './body';
import { fileNameField, filePathField, folderPathField } from './library-fields';
import { auditLibrary, type LibraryContext } from './library-route';
import { purgeFailed, purgeOldPath } from './rename-purge';
import { json, noContent } from './respond';

export async function copy(ctx: LibraryContext): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  const source = filePathField(body, 'sourceFilePath');
  const destination = folderPathField(body, 'destinationPath');
  const includeFileVersions = checkField(body, 'includeFileVersions', flag);
  await ctx.library.copyFile(source, destination, includeFileVersions);
  await auditLibrary(ctx, 'file.copy', `file:${source}`, { destinationPath: destination, includeFileVersions });
  return noContent();
}

export async function move(ctx: LibraryContext): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  const source = filePathField(body, 'sourceFilePath');
  const destination = folderPathField(body, 'destinationPath');
  await ctx.library.moveFile(source, destination);
  await auditLibrary(ctx, 'file.move', `file:${source}`, { destinationPath: destination });
  return noContent();
}

export async function rename(ctx: LibraryContext): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  const path = filePathField(body, 'filePath');
  const newFileName = fileNameField(body, 'newFileName');
  const purgeCache = checkField(body, 'purgeCache', flag);
  const renamed = await ctx.library.renameFile(path, newFileName);
  await auditLibrary(ctx, 'file.rename', `file:${path}`, { filePath: renamed.path, fileId: renamed.id });
  if (!purgeCache) return json({});
  const purge = await purgeOldPath(ctx, path);
  return typeof purge === 'string' ? json({ purgeRequestId: purge }) : purgeFailed(purge);
}
