/**
 * The video Worker's probe, for the upload and metadata APIs: a video's duration, codecs, bit rate and upright
 * size. A whole file that cannot be read (truncated, damaged) or is past the tenant's caps is refused with its
 * 4xx; the start of a larger upload that holds no index (an MP4 whose `moov` comes last) is simply not described.
 */
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import type { VideoProber } from '../library/media-info';
import type { DeliveryLimits } from '../tenants/config';
import { accepted, videoLimitsOf, videoService } from '../video-worker/client';
import type { VideoInfo } from '../video-worker/types';

/** The upload's prober; undefined on a deployment without the video Worker (videos are then stored undescribed). */
export function videoProber(env: Env, limits: DeliveryLimits): VideoProber | undefined {
  if (!env.VIDEO) return undefined;
  return async (bytes, size, whole) => {
    assertVideoSize(size, limits);
    const answer = await videoService(env.VIDEO).probe(bytes, videoLimitsOf(limits));
    if ('refused' in answer && !whole && answer.refused.status === 422) return undefined;
    const info = accepted(answer);
    return { width: info.width, height: info.height, video: videoProperties(info) };
  };
}

/** The metadata API's answer for a video: ImageKit's Metadata object with its video fields. */
export async function describeVideo(env: Env, limits: DeliveryLimits, bytes: Uint8Array) {
  assertVideoSize(bytes.byteLength, limits);
  const info = accepted(await videoService(env.VIDEO).probe(bytes, videoLimitsOf(limits)));
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
