/**
 * A part of a video by stream copy: no re-encode, so the cut starts at the keyframe at or before the asked
 * start (a frame-accurate cut re-encodes and is the transcoder's). The result keeps the original's container.
 */
import { HttpError } from '../http/errors';
import { discardInstance, run, workPath } from './ffmpeg';
import { inputArgs } from './input';
import { probeVideo } from './probe';
import type { VideoCut, VideoInfo } from './types';

export interface CutRange {
  start?: number;
  end?: number;
  duration?: number;
}

const CONTENT_TYPE = { mp4: 'video/mp4', webm: 'video/webm' } as const;

export async function cutVideo(bytes: Uint8Array, info: VideoInfo, range: CutRange): Promise<VideoCut> {
  const start = range.start ?? 0;
  const end = Math.min(range.end ?? (range.duration !== undefined ? start + range.duration : info.duration), info.duration);
  if (start >= info.duration || end <= start) {
    throw new HttpError(
      400,
      `The cut from ${start} s to ${end} s is outside the video (${info.duration.toFixed(2)} s)`,
      'Ask for so/eo/du within the video\'s duration, with eo after so.',
    );
  }
  const output = `cut.${info.container}`;
  const args = [
    '-v', 'error',
    ...(start > 0 ? ['-ss', String(start)] : []),
    ...inputArgs(info.container),
    '-t', String(end - start),
    '-map', '0:v:0', '-map', '0:a?', '-c', 'copy', '-avoid_negative_ts', 'make_zero',
    ...(info.container === 'mp4' ? ['-movflags', '+faststart', '-f', 'mp4'] : ['-f', 'webm']),
    workPath(output),
  ];
  const result = await run('ffmpeg', bytes, args, [output]);
  const body = result.outputs.get(output);
  if (result.status !== 0 || !body) {
    discardInstance();
    throw new HttpError(422, 'The video could not be cut without re-encoding', 'The video data may be damaged.');
  }
  const cut = await probeVideo(body);
  return { body, contentType: CONTENT_TYPE[info.container], start, duration: cut.duration };
}
