/**
 * The image Worker's side of the `VIDEO` service binding: the tenant's caps go with every call, and a refusal
 * the video Worker sends back becomes this Worker's HttpError (the same JSON error as any other 4xx).
 */
import { HttpError } from '../http/errors';
import type { VideoLimits, VideoRefusal, VideoService } from './types';

/** Typed by the methods it answers (their results arrive as structured clones of the same shapes). */
export type VideoBinding = VideoService | undefined;

/** The caps of the tenant's settings (limits) that the video Worker applies. */
export const videoLimitsOf = ({ maxVideoInputBytes, maxVideoSeconds, maxInputMegapixels }: VideoLimits): VideoLimits => ({
  maxVideoInputBytes,
  maxVideoSeconds,
  maxInputMegapixels,
});

/** The binding, or a 503 naming the missing video Worker. */
export function videoService(binding: VideoBinding): VideoService {
  if (binding) return binding;
  throw new HttpError(
    503,
    'Video processing is not available on this deployment',
    'Deploy the video Worker (wrangler deploy -c video.wrangler.toml) and bind it as VIDEO.',
  );
}

/** The answer, or its refusal thrown as an HttpError. */
export function accepted<T extends object>(answer: T | VideoRefusal): T {
  if ('refused' in answer) {
    const { status, message, help } = answer.refused;
    throw new HttpError(status, message, help);
  }
  return answer as T;
}
