import { variantKey } from '../../cache/keys';
import { readVariant, writeVariant } from '../../cache/variant-store';
import { HttpError } from '../../http/errors';
import { askVideo, videoLimitsOf } from '../../video-worker/client';
import { videoContainerOf } from '../../video-worker/container';
import type { ReadContext, Stage } from '../context';
import { deliveryMedia } from '../media';

/**
 * `<video>/ik-thumbnail.jpg` (src/video/suffix.ts): the video Worker (service binding `VIDEO`, ffmpeg in WASM)
 * takes the frame as PNG, and from here on that frame is the original of an image transformation, probed, limited
 * and cached as a variant like any other. The frame itself is kept in the R2 store too (under the video's path,
 * so purges take it along): other sizes and formats of the same frame need no ffmpeg run.
 * Any other request passes through untouched.
 */
export const extractVideoFrame: Stage<ReadContext, ReadContext> = async (ctx) => {
  if (ctx.media.kind !== 'thumbnail') return ctx;
  if (!isVideo(ctx.original.contentType, ctx.bytes)) {
    throw new HttpError(400, `${ctx.path} is not a video: ik-thumbnail.jpg is a frame of a video`, 'Ask for the image itself, without /ik-thumbnail.jpg.');
  }
  const offset = ctx.transformation.output.so ?? 0;
  const { original } = ctx;
  const at = {
    tenantId: ctx.tenantId,
    path: original.path,
    key: await variantKey({ tenantId: ctx.tenantId, path: original.path, etag: original.etag, canonical: `frame@${offset}`, negotiated: '' }),
  };
  const stored = await readVariant(deliveryMedia(ctx), at);
  let png = stored && (stored.body instanceof Uint8Array ? stored.body : new Uint8Array(await new Response(stored.body).arrayBuffer()));
  if (!png) {
    const limits = videoLimitsOf(ctx.tenant.settings.limits);
    png = (await ctx.timing.time('decode', () => askVideo(ctx.env.VIDEO, (video) => video.frame(ctx.bytes, offset, limits)))).png;
    const frame = png;
    const maxAge = ctx.tenant.settings.cacheMaxAgeSeconds;
    ctx.exec.waitUntil(
      writeVariant(deliveryMedia(ctx), at, frame, 'image/png', maxAge, { tiers: { edge: false, store: true } }).catch((error) =>
        console.error('frame store failed', error),
      ),
    );
  }
  await ctx.memory.take(png.byteLength);
  return Object.assign(ctx, { bytes: png });
};

/** A stored video type, or (for origins that send a generic type) a container the video Worker reads. */
const isVideo = (contentType: string | undefined, bytes: Uint8Array): boolean =>
  contentType?.toLowerCase().startsWith('video/') === true || videoContainerOf(bytes) !== undefined;
