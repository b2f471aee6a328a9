/**
 * A file's versions, as `@imagekit/nodejs` (resources/files/versions.ts) calls them:
 *
 *   GET    /v1/files/:fileId/versions                      → 200 [File]
 *   GET    /v1/files/:fileId/versions/:versionId           → 200 File
 *   DELETE /v1/files/:fileId/versions/:versionId           → 204 (400 for the current version)
 *   PUT    /v1/files/:fileId/versions/:versionId/restore   → 200 File
 *
 * Every version is a File object: `type: "file"` for the current one, `"file-version"` for the others, whose
 * `url` pins them with `?ik-obj-version=`. Reads need `files: read`, changes `files: read_write`; changes are audited.
 */
import type { IRequest, RouterType } from 'itty-router';
import type { Env } from '../env';
import { apiFile } from '../library/records';
import { auditLibrary, type LibraryContext, libraryRoute } from './library-route';
import { json, noContent } from './respond';

const BASE = '/v1/files/:fileId/versions';

export function registerFileVersionRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get(BASE, libraryRoute('read', list));
  router.get(`${BASE}/:versionId`, libraryRoute('read', getOne));
  router.delete(`${BASE}/:versionId`, libraryRoute('read_write', remove));
  router.put(`${BASE}/:versionId/restore`, libraryRoute('read_write', restore));
}

/** Oldest first, the current version wherever its number puts it (a restored version keeps its number). */
async function list(ctx: LibraryContext, params: Record<string, string>): Promise<Response> {
  const { file, versions } = await ctx.library.versions(params.fileId ?? '');
  return json(versions.map((version) => apiFile(ctx.endpoint, file, version)));
}

async function getOne(ctx: LibraryContext, params: Record<string, string>): Promise<Response> {
  const { file, version } = await ctx.library.version(params.fileId ?? '', params.versionId ?? '');
  return json(apiFile(ctx.endpoint, file, version));
}

async function remove(ctx: LibraryContext, params: Record<string, string>): Promise<Response> {
  const { fileId = '', versionId = '' } = params;
  await ctx.library.deleteVersion(fileId, versionId);
  await auditLibrary(ctx, 'file-version.delete', versionTarget(fileId, versionId));
  return noContent();
}

async function restore(ctx: LibraryContext, params: Record<string, string>): Promise<Response> {
  const { fileId = '', versionId = '' } = params;
  const file = apiFile(ctx.endpoint, await ctx.library.restoreVersion(fileId, versionId));
  await auditLibrary(ctx, 'file-version.restore', versionTarget(fileId, versionId), file);
  return json(file);
}

const versionTarget = (fileId: string, versionId: string) => `file:${fileId}/version:${versionId}`;
