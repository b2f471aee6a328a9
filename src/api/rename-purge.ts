/**
 * The cache purge a rename asks for (`purgeCache: true`). It starts after the rename has happened, so a purge
 * that cannot start does not undo anything: ImageKit answers that as a partial success (207, `PURGE_FAILED`).
 */
import { HttpError } from '../http/errors';
import { fileUrl } from '../library/records';
import type { LibraryContext } from './library-route';
import { startPurge } from './purge';
import { json } from './respond';

/**
 * Purges the cached copies of a renamed file's or folder's old path (`/a/b.jpg`, `/a/b/`). A file's URL
 * reaches every variant of it (older versions and transformations too); a folder's gets the trailing `*` that
 * makes it a prefix. Answers the purge request id, or the error that kept the purge from starting.
 */
export async function purgeOldPath(ctx: LibraryContext, oldPath: string): Promise<string | HttpError> {
  const url = fileUrl(ctx.endpoint, oldPath) + (oldPath.endsWith('/') ? '*' : '');
  try {
    return await startPurge(ctx, url);
  } catch (error) {
    if (error instanceof HttpError) return error;
    console.error('rename: the cache purge failed to start', error);
    return new HttpError(500, 'The cache purge could not be started.', '');
  }
}

/** The 207 of a rename whose purge failed; `fields` adds what the route answers anyway (a bulk job's id). */
export function purgeFailed(error: HttpError, fields: Record<string, unknown> = {}): Response {
  return json(
    {
      ...fields,
      message: `The rename succeeded but the cache purge failed: ${error.message}`,
      help: 'Purge the old URLs with POST /v1/files/purge.',
      reason: 'PURGE_FAILED',
    },
    207,
  );
}
