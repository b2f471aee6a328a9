import { blurPlane } from './blur';
import type { Frame } from './frame';

export interface ShadowOptions {
  /** Gaussian sigma of the shadow's edge, in pixels. */
  sigma: number;
  /** 0–1: the shadow's darkness where the image above it is solid. */
  opacity: number;
  /** Offset of the shadow from the image, in pixels (right and down positive). */
  dx: number;
  dy: number;
}

/**
 * A black drop shadow cast by the image's own alpha: the alpha plane, blurred and moved by (dx, dy), is laid
 * under the image, in place. Solid pixels hide it, so it shows only where the image is transparent; the one
 * extra plane is a byte a pixel.
 */
export function dropShadow(frame: Frame, { sigma, opacity, dx, dy }: ShadowOptions): Frame {
  if (!frame.hasAlpha || opacity <= 0) return frame;
  const { width: w, height: h, data } = frame;
  const mask = new Uint8ClampedArray(w * h);
  for (let p = 0, i = 3; p < mask.length; p++, i += 4) mask[p] = data[i]!;
  blurPlane(mask, w, h, 1, 1, sigma, false);
  for (let y = 0; y < h; y++) {
    const sy = y - dy;
    const inRows = sy >= 0 && sy < h;
    for (let x = 0, i = y * w * 4; x < w; x++, i += 4) {
      const sx = x - dx;
      const shade = inRows && sx >= 0 && sx < w ? (mask[sy * w + sx]! / 255) * opacity : 0;
      if (shade === 0) continue;
      const a = data[i + 3]! / 255;
      if (a === 1) continue;
      // The image over a black shadow: colour keeps its weight a, the shadow adds only coverage.
      const under = shade * (1 - a);
      const out = a + under;
      data[i] = (data[i]! * a) / out;
      data[i + 1] = (data[i + 1]! * a) / out;
      data[i + 2] = (data[i + 2]! * a) / out;
      data[i + 3] = out * 255;
    }
  }
  return frame;
}
