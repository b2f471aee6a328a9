/**
 * An animation's limits, checked from its header before any frame is decoded (the frame count comes from
 * walking GIF blocks, WebP ANMF chunks or APNG's acTL, never from decoding): frames, canvas size, and frames ×
 * canvas, the work decoding them all takes. Modelled on imgproxy's MAX_ANIMATION_FRAMES and
 * MAX_ANIMATION_FRAME_RESOLUTION.
 */
import type { ImageInfo } from '../codecs/types';
import { HttpError } from '../http/errors';
import type { DeliveryLimits } from '../tenants/config';

const HELP = 'Serve the animation untouched (orig-true), ask for its first frame as a still (f-jpg or f-png), or raise the limit in the tenant settings.';

export function checkAnimationLimits(info: ImageInfo, limits: DeliveryLimits): void {
  const kind = info.format.toUpperCase();
  if (info.frames > limits.maxAnimationFrames) {
    throw new HttpError(422, `This animated ${kind} has ${info.frames} frames; this tenant's limit (maxAnimationFrames) is ${limits.maxAnimationFrames}`, HELP);
  }
  const frame = (info.width * info.height) / 1e6;
  if (frame > limits.maxAnimationFrameMegapixels) {
    throw new HttpError(
      422,
      `This animated ${kind}'s frames are ${info.width}×${info.height} (${frame.toFixed(1)} MP); this tenant's limit (maxAnimationFrameMegapixels) is ${limits.maxAnimationFrameMegapixels} MP`,
      HELP,
    );
  }
  const total = frame * info.frames;
  if (total > limits.maxAnimationMegapixels) {
    throw new HttpError(
      422,
      `This animated ${kind} has ${info.frames} frames of ${info.width}×${info.height}, ${total.toFixed(0)} MP in all; this tenant's limit (maxAnimationMegapixels) is ${limits.maxAnimationMegapixels} MP`,
      HELP,
    );
  }
}
