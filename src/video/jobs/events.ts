/**
 * ImageKit's `video.transformation.*` webhook bodies (beside `id`, `type`, `created_at`): `request` names the URL
 * that asked, `data.asset` the original, `data.transformation` what was made, with `output` when ready and
 * `error` when it failed. Upload post-transformations use the same events, with the post type as `type`.
 */
import type { LibraryEvent } from '../../library/events';
import { parseTransformation } from '../../transform/parse';
import type { JobRecord } from './types';

type Stage = 'accepted' | 'ready' | 'error';

export function jobEvent(job: JobRecord, stage: Stage): LibraryEvent {
  const transformation: Record<string, unknown> = { type: transformationType(job), options: options(job) };
  if (stage === 'ready') {
    transformation.output = {
      url: job.url,
      video_metadata: job.input && { duration: job.input.duration, width: job.input.width, height: job.input.height },
    };
  }
  if (stage === 'error') transformation.error = { reason: job.error ?? 'encoding_failed' };
  const payload = {
    request: { x_request_id: job.id, url: job.url, user_agent: 'edgepix' },
    data: { asset: { url: job.originalUrl }, transformation },
  };
  return { type: `video.transformation.${stage}`, payload };
}

function transformationType(job: JobRecord): string {
  if (job.postType === 'gif-to-video') return 'gif-to-video';
  if (job.plan.kind === 'hls' || job.plan.kind === 'dash') return 'abs';
  return 'video-transformation';
}

function options(job: JobRecord): Record<string, unknown> {
  const { output } = parseTransformation(job.plan.transformation);
  const webm = job.plan.container === 'webm';
  return {
    video_codec: output.vc ?? (webm ? 'vp9' : 'h264'),
    audio_codec: output.ac ?? (webm ? 'opus' : 'aac'),
    auto_rotate: true,
    quality: output.q ?? 50,
    format: job.plan.container,
    ...(output.sr ? { stream_protocol: job.plan.container.toUpperCase(), variants: output.sr.map(String) } : {}),
  };
}
