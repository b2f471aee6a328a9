import { createFrame, type Frame } from './frame';

/**
 * Where an output pixel comes from: `map(x, y, at)` gets the output pixel's centre and writes the source point
 * (in the source's continuous coordinates, pixel centres at .5) into `at`, or returns false when nothing of the
 * source lands there.
 */
export type InverseMap = (x: number, y: number, at: Float64Array) => boolean;

/**
 * Draws a frame through an inverse mapping onto a transparent `width` × `height` canvas, sampling bilinearly
 * with alpha weights so transparent pixels do not bleed their colour. Taps outside the source are transparent,
 * which antialiases the warped image's edges. The shared core of the distortions (perspective, arc).
 */
export function warp(frame: Frame, width: number, height: number, map: InverseMap): Frame {
  const { width: w, height: h, data: src } = frame;
  const out = createFrame(width, height, true);
  const dst = out.data;
  const at = new Float64Array(2);
  for (let y = 0, o = 0; y < height; y++) {
    for (let x = 0; x < width; x++, o += 4) {
      if (!map(x + 0.5, y + 0.5, at)) continue;
      const sx = at[0]! - 0.5;
      const sy = at[1]! - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < -1 || y0 < -1 || x0 >= w || y0 >= h) continue;
      const fx = sx - x0;
      const fy = sy - y0;
      let r = 0, g = 0, b = 0, a = 0;
      for (let k = 0; k < 4; k++) {
        const tx = x0 + (k & 1);
        const ty = y0 + (k >> 1);
        if (tx < 0 || ty < 0 || tx >= w || ty >= h) continue;
        const i = (ty * w + tx) * 4;
        const weight = (k & 1 ? fx : 1 - fx) * (k >> 1 ? fy : 1 - fy) * src[i + 3]!;
        r += weight * src[i]!;
        g += weight * src[i + 1]!;
        b += weight * src[i + 2]!;
        a += weight;
      }
      if (a > 0) {
        dst[o] = r / a;
        dst[o + 1] = g / a;
        dst[o + 2] = b / a;
        dst[o + 3] = a;
      }
    }
  }
  return out;
}
