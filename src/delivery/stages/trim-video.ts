import { writeVariant } from '../../cache/variant-store';
import type { Transformation } from '../../transform/parse';
import { askVideo, videoLimitsOf } from '../../video-worker/client';
import type { ReadContext, Stage } from '../context';
import { variantHeaders } from '../headers';
import { deliveryMedia } from '../media';

/** The parameters a cut without re-encoding takes: anything else on a video is a transcoding job. */
const TRIM_KEYS = new Set(['so', 'eo', 'du']);

/**
 * A video URL that only trims (`so`, `eo`, `du`, nothing that re-encodes) is answered at once by the video Worker
 * with a stream copy: the cut starts at the keyframe at or before `so` (a frame-accurate cut re-encodes, which is
 * the transcoder's). It is stored and cached like any variant; delivery/finish.ts answers its Range requests.
 */
export const trimVideo: Stage<ReadContext, ReadContext> = async (ctx) => {
  if (ctx.media.kind !== 'video' || ctx.media.suffix || !isStreamCopyTrim(ctx.transformation)) return ctx;
  const { so, eo, du } = ctx.transformation.output;
  const limits = videoLimitsOf(ctx.tenant.settings.limits);
  const range = { start: so, end: eo, duration: du };
  const cut = await ctx.timing.time('transform', () => askVideo(ctx.env.VIDEO, (video) => video.cut(ctx.bytes, range, limits)));
  const at = { tenantId: ctx.tenantId, path: ctx.original.path, key: ctx.variantKey };
  ctx.exec.waitUntil(
    writeVariant(deliveryMedia(ctx), at, cut.body, cut.contentType, ctx.tenant.settings.cacheMaxAgeSeconds).catch((error) =>
      console.error('variant store failed', error),
    ),
  );
  const headers = variantHeaders(ctx, cut.contentType, cut.contentType === 'video/webm' ? 'webm' : 'mp4');
  headers.set('Content-Length', String(cut.body.byteLength));
  headers.set('Accept-Ranges', 'bytes');
  return new Response(cut.body, { headers });
};

/** One step with no step parameters, and only trim parameters in the output. */
export function isStreamCopyTrim(t: Transformation): boolean {
  const keys = Object.keys(t.output);
  return t.steps.every((step) => Object.keys(step).length === 0) && keys.length > 0 && keys.every((key) => TRIM_KEYS.has(key));
}
