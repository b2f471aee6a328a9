/**
 * Animated GIF, read one frame at a time: each frame's LZW data is decoded alone (gifFrameRows), drawn over the
 * canvas where its pixels are not transparent, handed out as a copy of the canvas, and then disposed of as its
 * Graphic Control Extension says: left (0, 1), its rectangle cleared to transparent (2), or the canvas put back
 * as it was before the frame (3, the only case that keeps a second canvas). The canvas starts transparent, as
 * browsers show it (the screen's background colour is ignored by them too).
 */
import { anyTransparent } from '../../image/frame';
import { gifFrameRows, readGifLayout, readingGif } from '../gif';
import { gifFrames, gifLoopCount } from '../probe/gif';
import type { AnimationDecoder, AnimationReader } from './types';

const RESTORE_BACKGROUND = 2;
const RESTORE_PREVIOUS = 3;

export const gifAnimationDecoder: AnimationDecoder = {
  format: 'gif',
  async open(bytes) {
    const { width, height, blocks } = readGifLayout(bytes);
    const frames = gifFrames(bytes, blocks);
    const canvas = new Uint8ClampedArray(width * height * 4);
    const reader: AnimationReader = {
      width,
      height,
      loop: readingGif(() => gifLoopCount(bytes, blocks)),
      async next() {
        const { value: frame, done } = readingGif(() => frames.next());
        if (done) return null;
        const rows = gifFrameRows(bytes, blocks, frame);
        const saved = frame.disposal === RESTORE_PREVIOUS ? canvas.slice() : undefined;
        draw(canvas, width, height, rows, frame);
        const shown = canvas.slice();
        if (saved) canvas.set(saved);
        else if (frame.disposal === RESTORE_BACKGROUND) clear(canvas, width, height, frame);
        return { frame: { width, height, data: shown, hasAlpha: anyTransparent(shown) }, delay: frame.delay * 10 };
      },
      close() {},
    };
    return reader;
  },
};

interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The part of `r` on the canvas: frames may reach past the logical screen, whose pixels are not shown. */
function clip(r: Rect, width: number, height: number) {
  return { x1: Math.min(r.left + r.width, width), y1: Math.min(r.top + r.height, height) };
}

function draw(canvas: Uint8ClampedArray, width: number, height: number, rows: Uint8ClampedArray, r: Rect): void {
  const { x1, y1 } = clip(r, width, height);
  for (let y = r.top; y < y1; y++) {
    let s = (y - r.top) * r.width * 4;
    let d = (y * width + r.left) * 4;
    for (let x = r.left; x < x1; x++, s += 4, d += 4) {
      if (rows[s + 3] === 0) continue; // the transparent index leaves what is under it
      canvas[d] = rows[s]!;
      canvas[d + 1] = rows[s + 1]!;
      canvas[d + 2] = rows[s + 2]!;
      canvas[d + 3] = 255;
    }
  }
}

function clear(canvas: Uint8ClampedArray, width: number, height: number, r: Rect): void {
  const { x1, y1 } = clip(r, width, height);
  if (x1 <= r.left) return;
  for (let y = r.top; y < y1; y++) canvas.fill(0, (y * width + r.left) * 4, (y * width + x1) * 4);
}
