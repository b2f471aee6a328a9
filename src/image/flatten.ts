import type { Frame, Rgba } from './frame';

/**
 * Composites the frame over a background colour (the "over" operator on straight alpha), in place.
 * An opaque background flattens: every pixel ends opaque and hasAlpha becomes false. A translucent one
 * gives alpha = a + b·(1 − a), and the frame keeps hasAlpha.
 */
export function flatten(frame: Frame, background: Rgba): Frame {
  if (!frame.hasAlpha) return frame;
  const { data } = frame;
  const { r: br, g: bg, b: bb } = background;
  const backAlpha = background.a / 255;
  for (let p = 0; p < data.length; p += 4) {
    const a = data[p + 3]! / 255;
    if (a === 1) continue;
    const under = backAlpha * (1 - a);
    const out = a + under;
    if (out === 0) {
      data[p] = data[p + 1] = data[p + 2] = 0;
      continue;
    }
    data[p] = (data[p]! * a + br * under) / out;
    data[p + 1] = (data[p + 1]! * a + bg * under) / out;
    data[p + 2] = (data[p + 2]! * a + bb * under) / out;
    data[p + 3] = out * 255;
  }
  frame.hasAlpha = background.a < 255;
  return frame;
}

/** The same operation under the name used where the background may be translucent. */
export const compositeOver = flatten;
