import type { Frame } from './frame';

/**
 * Lays `top` over `base` with its top-left corner at (x, y), in place: the "over" operator on straight alpha, as
 * libvips' composite does it. What falls outside the base is cut off; the base keeps its size.
 */
export function compositeAt(base: Frame, top: Frame, x: number, y: number): Frame {
  const left = Math.max(0, x);
  const right = Math.min(base.width, x + top.width);
  const upper = Math.max(0, y);
  const lower = Math.min(base.height, y + top.height);
  const b = base.data;
  const t = top.data;
  for (let row = upper; row < lower; row++) {
    let p = (row * base.width + left) * 4;
    let q = ((row - y) * top.width + (left - x)) * 4;
    for (let col = left; col < right; col++, p += 4, q += 4) {
      const ta = t[q + 3]! / 255;
      if (ta === 0) continue;
      if (ta === 1 || !base.hasAlpha) {
        // Over an opaque base the result stays opaque.
        b[p] = t[q]! * ta + b[p]! * (1 - ta);
        b[p + 1] = t[q + 1]! * ta + b[p + 1]! * (1 - ta);
        b[p + 2] = t[q + 2]! * ta + b[p + 2]! * (1 - ta);
        if (base.hasAlpha) b[p + 3] = 255;
        continue;
      }
      const ba = b[p + 3]! / 255;
      const under = ba * (1 - ta);
      const out = ta + under;
      b[p] = (t[q]! * ta + b[p]! * under) / out;
      b[p + 1] = (t[q + 1]! * ta + b[p + 1]! * under) / out;
      b[p + 2] = (t[q + 2]! * ta + b[p + 2]! * under) / out;
      b[p + 3] = out * 255;
    }
  }
  return base;
}
