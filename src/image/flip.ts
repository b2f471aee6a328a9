import type { Frame } from './frame';
import { pixels32 } from './pixels';

/** Mirrors the frame in place. */
export function flip(frame: Frame, horizontal: boolean, vertical: boolean): Frame {
  if (!horizontal && !vertical) return frame;
  const px = pixels32(frame);
  const w = frame.width;
  // Mirroring both ways is a 180° turn, which is exactly the pixel sequence read backwards.
  if (horizontal && vertical) {
    px.reverse();
  } else if (horizontal) {
    for (let row = 0; row < px.length; row += w) px.subarray(row, row + w).reverse();
  } else {
    const scratch = new Uint32Array(w);
    for (let top = 0, bottom = px.length - w; top < bottom; top += w, bottom -= w) {
      scratch.set(px.subarray(top, top + w));
      px.copyWithin(top, bottom, bottom + w);
      px.set(scratch, bottom);
    }
  }
  return frame;
}
