/**
 * Bounds on the work of one ffmpeg run, checked before it runs: `exec()` cannot be stopped once started, so
 * what it may cost is decided from the input's size and its header (declared duration, dimensions).
 */
import { HttpError } from '../http/errors';
import type { VideoInfo, VideoLimits } from './types';

/**
 * The most this Worker reads into one ffmpeg run, whatever the tenant allows: the bytes arrive once over the
 * binding and once more in ffmpeg's file system, beside its ~32 MB instance, inside a 128 MB isolate.
 */
export const ENGINE_MAX_INPUT_BYTES = 40 * 1024 * 1024;

export function assertInputSize(bytes: Uint8Array, limits: VideoLimits): void {
  if (bytes.byteLength > limits.maxVideoInputBytes) {
    throw new HttpError(
      413,
      `The video is ${bytes.byteLength} bytes; this tenant's limit (maxVideoInputBytes) is ${limits.maxVideoInputBytes}`,
      'Upload a smaller video or raise limits.maxVideoInputBytes in the tenant settings.',
    );
  }
  if (bytes.byteLength > ENGINE_MAX_INPUT_BYTES) {
    throw new HttpError(
      422,
      `The video is ${bytes.byteLength} bytes; thumbnails, probing and cuts at the edge read videos up to ${ENGINE_MAX_INPUT_BYTES} bytes`,
      'Use a smaller video for edge thumbnails and cuts.',
    );
  }
}

export function assertWithinLimits(info: VideoInfo, limits: VideoLimits): void {
  if (info.duration > limits.maxVideoSeconds) {
    throw new HttpError(
      422,
      `The video declares ${Math.round(info.duration)} s; this tenant's limit (maxVideoSeconds) is ${limits.maxVideoSeconds} s`,
      'Use a shorter video or raise limits.maxVideoSeconds in the tenant settings.',
    );
  }
  const megapixels = (info.width * info.height) / 1e6;
  if (megapixels > limits.maxInputMegapixels) {
    throw new HttpError(
      422,
      `The video's pictures are ${info.width}×${info.height} (${megapixels.toFixed(1)} MP); this tenant's limit (maxInputMegapixels) is ${limits.maxInputMegapixels} MP`,
      'Use a smaller video or raise limits.maxInputMegapixels in the tenant settings.',
    );
  }
}

/**
 * The largest picture this Worker decodes a frame of: ffmpeg's WASM memory grows to about 70 MB for a 1080p frame
 * (bench:video) and never shrinks, inside a 128 MB isolate; 4K would not fit.
 */
export const ENGINE_MAX_FRAME_PIXELS = 1920 * 1088;

export function assertFrameDecodable(info: VideoInfo): void {
  if (info.width * info.height <= ENGINE_MAX_FRAME_PIXELS) return;
  throw new HttpError(
    422,
    `The video's pictures are ${info.width}×${info.height}; thumbnails at the edge decode frames up to 1920×1080`,
    'Use a rendition of at most 1080p for thumbnails.',
  );
}
