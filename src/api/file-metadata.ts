/**
 * ImageKit's metadata API (`client.files.metadata` in `@imagekit/nodejs`):
 *
 *   GET /v1/files/:fileId/metadata   → 200 Metadata of the file's current version
 *   GET /v1/metadata?url=<URL>       → 200 Metadata of exactly what that delivery URL delivers
 *
 * A URL is delivered by the delivery pipeline itself, as any client would get it (without the caller's
 * credentials), so its transformations, signature and access rules apply, a delivery error comes back with
 * its status and message, and the bytes count as delivered bandwidth.
 */
import type { IRequest, RouterType } from 'itty-router';
import { deliver } from '../delivery/pipeline';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { describeMetadata } from '../library/file-metadata';
import { blobKey } from '../library/store/blobs';
import { ownDeliveryUrl } from './delivery-url';
import { type LibraryContext, libraryRoute } from './library-route';
import { json } from './respond';
import { describeVideo } from './video-probe';
import { videoContainerOf } from '../video-worker/container';
import { mediaOf } from '../storage/media';

export function registerFileMetadataRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get(
    '/v1/files/:fileId/metadata',
    libraryRoute('read', async (ctx, params) => {
      const file = await ctx.library.getFile(params.fileId!);
      const object = await mediaOf(ctx.env, ctx.tenant.id).get(blobKey(ctx.tenant.id, file.version.blob));
      // Records are committed only after their bytes are stored; a missing blob is a storage fault.
      if (!object) throw new HttpError(503, "The file's bytes are not available right now", 'Retry the request.', { 'Retry-After': '1' });
      const bytes = new Uint8Array(await object.arrayBuffer());
      if (file.version.media.mime.startsWith('video/')) return json(await describeVideo(ctx.env, ctx.tenant.settings.limits, bytes));
      return json(await describeMetadata(bytes));
    }),
  );
  router.get(
    '/v1/metadata',
    libraryRoute('read', async (ctx) => {
      const bytes = await delivered(ctx, new URL(ctx.request.url).searchParams.get('url'));
      return json(videoContainerOf(bytes) ? await describeVideo(ctx.env, ctx.tenant.settings.limits, bytes) : await describeMetadata(bytes));
    }),
  );
}

/** The bytes a delivery URL of the tenant delivers; a failed delivery is the same status with its message. */
async function delivered(ctx: LibraryContext, value: string | null): Promise<Uint8Array> {
  const { url, delivery } = ownDeliveryUrl(ctx, value);
  const response = await deliver(new Request(url), ctx.env, ctx.exec, delivery);
  if (response.status !== 200) {
    const body = (await response.json().catch(() => ({}))) as { message?: string; help?: string };
    throw new HttpError(response.status, body.message ?? `The URL answered ${response.status}`, body.help ?? '');
  }
  return new Uint8Array(await response.arrayBuffer());
}
