import { HttpError } from '../../http/errors';
import { accepted, videoLimitsOf, videoService } from '../../video-worker/client';
import { videoContainerOf } from '../../video-worker/container';
import type { ReadContext, Stage } from '../context';

/**
 * `<video>/ik-thumbnail.jpg` (src/video/suffix.ts): the video Worker (service binding `VIDEO`, ffmpeg in WASM) takes the frame as PNG,
 * and from here on that frame is the original of an image transformation, probed, limited and cached as a variant
 * like any other. Any other request passes through untouched.
 */
export const extractVideoFrame: Stage<ReadContext, ReadContext> = async (ctx) => {
  if (ctx.media.kind !== 'thumbnail') return ctx;
  if (!isVideo(ctx.original.contentType, ctx.bytes)) {
    throw new HttpError(400, `${ctx.path} is not a video: ik-thumbnail.jpg is a frame of a video`, 'Ask for the image itself, without /ik-thumbnail.jpg.');
  }
  const video = videoService(ctx.env.VIDEO);
  const limits = videoLimitsOf(ctx.tenant.settings.limits);
  const frame = accepted(await ctx.timing.time('decode', () => video.frame(ctx.bytes, frameOffset(ctx), limits)));
  await ctx.memory.take(frame.png.byteLength);
  return Object.assign(ctx, { bytes: frame.png });
};

/** `so-<seconds>` picks the frame; ImageKit's thumbnail is the first frame without it. */
const frameOffset = (ctx: ReadContext): number => ctx.transformation.output.so ?? 0;

/** A stored video type, or (for origins that send a generic type) a container the video Worker reads. */
const isVideo = (contentType: string | undefined, bytes: Uint8Array): boolean =>
  contentType?.toLowerCase().startsWith('video/') === true || videoContainerOf(bytes) !== undefined;
