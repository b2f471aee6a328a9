/**
 * One frame of a video as PNG: seek on the input (to the keyframe before the offset, then decode up to it),
 * upright by the display matrix, lossless so the image pipeline does every resize and encode itself (the WASM
 * build's scaled JPEG output is not to be trusted).
 */
import { HttpError } from '../http/errors';
import { discardInstance, run, workPath } from './ffmpeg';
import { inputArgs } from './input';
import type { VideoFrame, VideoInfo } from './types';

const OUTPUT = 'frame.png';

export async function extractFrame(bytes: Uint8Array, info: VideoInfo, offset: number): Promise<VideoFrame> {
  if (offset > 0 && offset >= info.duration) {
    throw new HttpError(
      400,
      `so-${offset} is past the end of the video (${info.duration.toFixed(2)} s)`,
      'Ask for a time offset (so) smaller than the video\'s duration.',
    );
  }
  const args = [
    '-v', 'error',
    ...(offset > 0 ? ['-ss', String(offset)] : []),
    ...inputArgs(info.container),
    '-map', '0:v:0', '-an', '-sn', '-dn',
    '-frames:v', '1', '-f', 'image2', '-c:v', 'png', '-pix_fmt', 'rgb24', workPath(OUTPUT),
  ];
  const result = await run('ffmpeg', bytes, args, [OUTPUT]);
  const png = result.outputs.get(OUTPUT);
  if (result.status !== 0 || !png || png.byteLength < 24) {
    discardInstance();
    throw new HttpError(422, 'No frame could be decoded at that time', 'The video data may be damaged; try another time offset (so).');
  }
  // The PNG's IHDR holds its size at fixed places (bytes 16–23).
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { png, width: view.getUint32(16), height: view.getUint32(20), offset };
}
