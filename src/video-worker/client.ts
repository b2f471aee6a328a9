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

const UNAVAILABLE_HELP = 'Deploy the video Worker (wrangler deploy -c video.wrangler.toml) and bind it as VIDEO; locally, run wrangler dev -c wrangler.toml -c video.wrangler.toml (npm start).';

/**
 * Calls the video Worker: its answer, its refusal thrown as an HttpError, or a 503 when it is not bound or does
 * not answer (not deployed, not started beside this Worker, or failed).
 */
export async function askVideo<T extends object>(binding: VideoBinding, call: (video: VideoService) => Promise<T | VideoRefusal>): Promise<T> {
  if (!binding) throw new HttpError(503, 'Video processing is not available on this deployment', UNAVAILABLE_HELP);
  let answer: T | VideoRefusal;
  try {
    answer = await call(binding);
  } catch (error) {
    console.error('the video Worker failed', error);
    throw new HttpError(503, 'The video Worker did not answer', UNAVAILABLE_HELP, { 'Retry-After': '5' });
  }
  return accepted(answer);
}

/** The answer, or its refusal thrown as an HttpError. */
function accepted<T extends object>(answer: T | VideoRefusal): T {
  if ('refused' in answer) {
    const { status, message, help } = answer.refused;
    throw new HttpError(status, message, help);
  }
  return answer as T;
}
