/**
 * The media library's file, folder and transfer routes in one table, with the access each needs (ImageKit's
 * "Media access": read lists and reads, read_write changes). What each route takes and answers is written
 * beside its handler: files.ts, folders.ts, file-transfers.ts.
 */
import type { IRequest, RouterType } from 'itty-router';
import type { Env } from '../env';
import * as transfers from './file-transfers';
import * as files from './files';
import * as folders from './folders';
import { type LibraryHandler, libraryRoute } from './library-route';
import * as signedUrls from './signed-urls';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

const ROUTES: readonly [Method, string, 'read' | 'read_write', LibraryHandler][] = [
  ['get', '/v1/files', 'read', files.list],
  ['get', '/v1/files/:fileId/details', 'read', files.details],
  ['patch', '/v1/files/:fileId/details', 'read_write', files.update],
  ['delete', '/v1/files/:fileId', 'read_write', files.remove],
  ['post', '/v1/files/batch/deleteByFileIds', 'read_write', files.bulkDelete],
  ['post', '/v1/files/addTags', 'read_write', files.addTags],
  ['post', '/v1/files/removeTags', 'read_write', files.removeTags],
  ['post', '/v1/files/removeAITags', 'read_write', files.removeAITags],
  ['post', '/v1/files/copy', 'read_write', transfers.copy],
  ['post', '/v1/files/move', 'read_write', transfers.move],
  ['post', '/v1/files/signed-url', 'read', signedUrls.create],
  ['put', '/v1/files/rename', 'read_write', transfers.rename],
  ['post', '/v1/folder', 'read_write', folders.create],
  ['delete', '/v1/folder', 'read_write', folders.remove],
  ['post', '/v1/bulkJobs/copyFolder', 'read_write', folders.copyFolder],
  ['post', '/v1/bulkJobs/moveFolder', 'read_write', folders.moveFolder],
  ['post', '/v1/bulkJobs/renameFolder', 'read_write', folders.renameFolder],
  ['get', '/v1/bulkJobs/:jobId', 'read', folders.getJob],
];

export function registerMediaRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  for (const [method, path, level, handler] of ROUTES) router[method](path, libraryRoute(level, handler));
}
