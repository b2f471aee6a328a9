import type { Frame } from './frame';
import { flip } from './flip';
import { transposed } from './pixels';

/**
 * Turns a decoded frame upright according to its EXIF Orientation tag. Orientations 2–4 keep the dimensions
 * and work in place; 5–8 swap width and height and return a new frame.
 */
export function applyOrientation(frame: Frame, orientation: number): Frame {
  switch (orientation) {
    case 2: return flip(frame, true, false);
    case 3: return flip(frame, true, true);
    case 4: return flip(frame, false, true);
    case 5: return transposed(frame, false, false);
    case 6: return transposed(frame, true, false); // rotate 90° clockwise
    case 7: return transposed(frame, true, true);
    case 8: return transposed(frame, false, true); // rotate 270° clockwise
    // 1, a missing tag, or a value outside the spec: show the pixels as stored, as browsers do.
    default: return frame;
  }
}
