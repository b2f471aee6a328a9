/**
 * Folders and folder bulk jobs, as `@imagekit/nodejs` (resources/folders/*) calls them:
 *
 *   POST   /v1/folder                   {folderName, parentFolderPath}                  → 201 {}
 *   DELETE /v1/folder                   {folderPath}                                    → 204 | 404
 *   POST   /v1/bulkJobs/copyFolder      {sourceFolderPath, destinationPath, includeVersions?} → 200 {jobId}
 *   POST   /v1/bulkJobs/moveFolder      {sourceFolderPath, destinationPath}             → 200 {jobId}
 *   POST   /v1/bulkJobs/renameFolder    {folderPath, newFolderName, purgeCache?}        → 200 {jobId}
 *   GET    /v1/bulkJobs/:jobId                                                          → 200 {jobId, type, status, purgeRequestId?}
 *
 * A bulk job runs in one library transaction before the answer, so it is always `Completed` when polled.
 * Writes need `files: read_write` and are audited; reading a job needs `files: read`.
 */
import { HttpError } from '../http/errors';
import { normalizeFolder } from '../library/paths';
import type { JobRecord } from '../library/store/requests';
import { checkField, flag } from '../validate/fields';
import { readJsonObject } from './body';
import { folderNameField, folderPathField } from './library-fields';
import { auditLibrary, discardVariants, type LibraryContext } from './library-route';
import { purgeFailed, purgeOldPath } from './rename-purge';
import { json, noContent } from './respond';

export async function create(ctx: LibraryContext): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  const parent = folderPathField(body, 'parentFolderPath');
  // Joined and checked again, for the depth limit.
  const path = normalizeFolder(`${parent}${folderNameField(body, 'folderName')}`, 'folderName');
  await ctx.library.createFolder(path);
  await auditLibrary(ctx, 'folder.create', `folder:${path}`);
  return json({}, 201);
}

export async function remove(ctx: LibraryContext): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  const path = folderPathField(body, 'folderPath');
  await ctx.library.deleteFolder(path);
  await auditLibrary(ctx, 'folder.delete', `folder:${path}`);
  discardVariants(ctx, path);
  return noContent();
}

export async function copyFolder(ctx: LibraryContext): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  const source = folderPathField(body, 'sourceFolderPath');
  const destination = folderPathField(body, 'destinationPath');
  const includeVersions = checkField(body, 'includeVersions', flag);
  const job = await ctx.library.folderJob({ type: 'COPY_FOLDER', source, destination, includeVersions });
  await auditLibrary(ctx, 'bulk-job.copy-folder', `folder:${source}`, { jobId: job.id, destinationPath: destination, includeVersions });
  return json({ jobId: job.id });
}

export async function moveFolder(ctx: LibraryContext): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  const source = folderPathField(body, 'sourceFolderPath');
  const destination = folderPathField(body, 'destinationPath');
  const job = await ctx.library.folderJob({ type: 'MOVE_FOLDER', source, destination });
  await auditLibrary(ctx, 'bulk-job.move-folder', `folder:${source}`, { jobId: job.id, destinationPath: destination });
  return json({ jobId: job.id });
}

export async function renameFolder(ctx: LibraryContext): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  const source = folderPathField(body, 'folderPath');
  const newName = folderNameField(body, 'newFolderName');
  const purgeCache = checkField(body, 'purgeCache', flag);
  const job = await ctx.library.folderJob({ type: 'RENAME_FOLDER', source, newName });
  await auditLibrary(ctx, 'bulk-job.rename-folder', `folder:${source}`, { jobId: job.id, newFolderName: newName });
  if (!purgeCache) return json({ jobId: job.id });
  const purge = await purgeOldPath(ctx, source);
  if (typeof purge !== 'string') return purgeFailed(purge, { jobId: job.id });
  await ctx.library.attachJobPurge(job.id, purge);
  return json({ jobId: job.id });
}

export async function getJob(ctx: LibraryContext, params: Record<string, string>): Promise<Response> {
  const job = await ctx.library.job(params.jobId ?? '');
  if (!job) throw new HttpError(404, 'The requested bulk job does not exist.', 'Use the jobId a bulk job request answered.');
  return json(describeJob(job));
}

function describeJob(job: JobRecord) {
  return {
    jobId: job.id,
    type: job.type,
    status: job.status,
    ...(job.purgeRequestId ? { purgeRequestId: job.purgeRequestId } : {}),
  };
}
