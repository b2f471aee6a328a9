/**
 * `<video>/ik-thumbnail.jpg`: a frame of the video (the first, or the one at `so-<seconds>`), then the image
 * transformation on it as on any image original (`w h ar c cm fo b bg r`, layers, format). The suffix is a
 * name of the URL, not of a file: the original is the video before it.
 */
import type { Transformation } from '../transform/parse';

export const THUMBNAIL_SUFFIX = 'ik-thumbnail.jpg';

export interface VideoFrameRequest {
  /** Seconds into the video. */
  offset: number;
}

/** The video's path and the frame asked for, when `path` ends in the thumbnail suffix; undefined otherwise. */
export function videoFrameRequest(path: string, transformation: Transformation): { path: string; frame: VideoFrameRequest } | undefined {
  const suffix = `/${THUMBNAIL_SUFFIX}`;
  if (!path.endsWith(suffix) || path.length === suffix.length) return undefined;
  return { path: path.slice(0, -suffix.length), frame: { offset: frameOffset(transformation) } };
}

/** `so` of the last step that names one; ImageKit's thumbnail is the first frame without it. */
function frameOffset(transformation: Transformation): number {
  const output = transformation.output as { so?: number };
  return output.so ?? 0;
}
