import type { Frame } from './frame';
import { warp } from './warp';

/** The four corners' new places, clockwise from the top left: x1, y1, … x4, y4. */
export type Quad = readonly [number, number, number, number, number, number, number, number];

/**
 * Moves the image's corners to `quad` (a projective mapping, so straight lines stay straight) on a canvas of the
 * image's own size; what the quad leaves uncovered, or pushes off the canvas, is transparent.
 */
export function perspective(frame: Frame, quad: Quad): Frame {
  const { width: w, height: h } = frame;
  const toQuad = squareToQuad(quad);
  const inverse = adjugate(toQuad);
  return warp(frame, w, h, (x, y, at) => {
    // Output point → unit square (the inverse of square → quad, up to scale), then → source pixels.
    const X = inverse[0]! * x + inverse[1]! * y + inverse[2]!;
    const Y = inverse[3]! * x + inverse[4]! * y + inverse[5]!;
    const Z = inverse[6]! * x + inverse[7]! * y + inverse[8]!;
    if (Z === 0) return false;
    const u = X / Z;
    const v = Y / Z;
    // Points off the square map outside the image; the sampler's edge taps still soften the border.
    if (u < -1 / w || u > 1 + 1 / w || v < -1 / h || v > 1 + 1 / h) return false;
    at[0] = u * w;
    at[1] = v * h;
    return true;
  });
}

/**
 * The projective map of the unit square onto a quadrilateral (Heckbert, "Fundamentals of Texture Mapping", 1989),
 * as a row-major 3×3 matrix taking (u, v, 1) to homogeneous (x, y, w).
 */
export function squareToQuad(q: Quad): number[] {
  const [x0, y0, x1, y1, x2, y2, x3, y3] = q;
  const sx = x0 - x1 + x2 - x3;
  const sy = y0 - y1 + y2 - y3;
  if (sx === 0 && sy === 0) {
    // A parallelogram: the map is affine.
    return [x1 - x0, x3 - x0, x0, y1 - y0, y3 - y0, y0, 0, 0, 1];
  }
  const dx1 = x1 - x2;
  const dx2 = x3 - x2;
  const dy1 = y1 - y2;
  const dy2 = y3 - y2;
  const det = dx1 * dy2 - dx2 * dy1;
  const g = det === 0 ? 0 : (sx * dy2 - dx2 * sy) / det;
  const h = det === 0 ? 0 : (dx1 * sy - sx * dy1) / det;
  return [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1];
}

/** The adjugate of a 3×3 matrix: its inverse up to scale, which is all a projective map needs. */
function adjugate(m: number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  return [e * i - f * h, c * h - b * i, b * f - c * e, f * g - d * i, a * i - c * g, c * d - a * f, d * h - e * g, b * g - a * h, a * e - b * d];
}
