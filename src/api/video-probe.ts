/**
 * The video Worker's probe, for the upload and metadata APIs: a video's duration, codecs, bit rate and upright
 * size. A whole file that cannot be read (truncated, damaged) or is past the tenant's caps is refused with its
 * 4xx; the start of a larger upload that holds no index (an MP4 whose `moov` comes last) is simply not described.
 */
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import type { VideoProber } from '../library/media-info';
import type { DeliveryLimits } from '../tenants/config';
import { askVideo, videoLimitsOf } from '../video-worker/client';
import type { VideoInfo } from '../video-worker/types';

/** The upload's prober; without the video Worker (unbound or not answering) videos are stored undescribed. */
export function videoProber(env: Env, limits: DeliveryLimits): VideoProber | undefined {
  if (!env.VIDEO) return undefined;
  return async (bytes, size, whole) => {
    assertVideoSize(size, limits);
    let info: VideoInfo;
    try {
      info = await askVideo(env.VIDEO, (video) => video.probe(bytes, videoLimitsOf(limits)));
    } catch (error) {
      // The start of a large file may lack the index; an absent video Worker must not stop uploads.
      if (error instanceof HttpError && ((!whole && error.status === 422) || error.status === 503)) return undefined;
      throw error;
    }
    return { width: info.width, height: info.height, video: videoProperties(info) };
  };
}

/** The metadata API's answer for a video: ImageKit's Metadata object with its video fields. */
export async function describeVideo(env: Env, limits: DeliveryLimits, bytes: Uint8Array) {
  assertVideoSize(bytes.byteLength, limits);
  const info = await askVideo(env.VIDEO, (video) => video.probe(bytes, videoLimitsOf(limits)));
  return { height: info.height, width: info.width, size: bytes.byteLength, format: info.container, ...videoProperties(info) };
}

const videoProperties = (info: VideoInfo) => ({
  duration: info.duration,
  videoCodec: info.videoCodec,
  ...(info.audioCodec ? { audioCodec: info.audioCodec } : {}),
  bitRate: info.bitRate,
});

function assertVideoSize(size: number, limits: DeliveryLimits): void {
  if (size <= limits.maxVideoInputBytes) return;
  throw new HttpError(
    413,
    `The video is ${size} bytes; this tenant's limit (maxVideoInputBytes) is ${limits.maxVideoInputBytes}`,
    'Upload a smaller video or raise limits.maxVideoInputBytes in the tenant settings.',
  );
}
