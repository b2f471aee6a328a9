import type { Frame, Rgba } from './frame';
import { pad } from './pad';

/** Surrounds the frame with `width` pixels of colour on every side; the result is 2 × width larger each way. */
export function addBorder(frame: Frame, width: number, colour: Rgba): Frame {
  if (!Number.isInteger(width) || width < 0) throw new RangeError(`border width must be a whole number, got ${width}`);
  if (width === 0) return frame;
  return pad(frame, frame.width + 2 * width, frame.height + 2 * width, width, width, colour);
}
