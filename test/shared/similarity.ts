/**
 * Perceptual comparison of frames, used by every test that checks pixels: a mean absolute difference over
 * RGB (0–255) and SSIM over luma. Frames of different sizes are compared after nearest-neighbour scaling of
 * the second one to the first, which is enough for "same picture, same orientation" checks.
 */
import { ssim } from 'ssim.js';
import type { Frame } from '../../src/image/frame';

export function meanAbsoluteDifference(a: Frame, b: Frame): number {
  const other = sameSize(a, b);
  let total = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    total += Math.abs(a.data[i]! - other.data[i]!);
    total += Math.abs(a.data[i + 1]! - other.data[i + 1]!);
    total += Math.abs(a.data[i + 2]! - other.data[i + 2]!);
  }
  return total / ((a.data.length / 4) * 3);
}

export function structuralSimilarity(a: Frame, b: Frame): number {
  const other = sameSize(a, b);
  const asImage = (f: Frame) => ({ data: f.data, width: f.width, height: f.height });
  return ssim(asImage(a), asImage(other)).mssim;
}

function sameSize(a: Frame, b: Frame): Frame {
  if (a.width === b.width && a.height === b.height) return b;
  const data = new Uint8ClampedArray(a.width * a.height * 4);
  for (let y = 0; y < a.height; y++) {
    const sy = Math.min(b.height - 1, Math.floor((y * b.height) / a.height));
    for (let x = 0; x < a.width; x++) {
      const sx = Math.min(b.width - 1, Math.floor((x * b.width) / a.width));
      const s = (sy * b.width + sx) * 4;
      const d = (y * a.width + x) * 4;
      data[d] = b.data[s]!;
      data[d + 1] = b.data[s + 1]!;
      data[d + 2] = b.data[s + 2]!;
      data[d + 3] = b.data[s + 3]!;
    }
  }
  return { width: a.width, height: a.height, data, hasAlpha: b.hasAlpha };
}

/** Pixels that differ: alpha anywhere, RGB where the pixel is visible (exact decodes of palette images). */
export function visibleMismatches(a: Uint8ClampedArray, b: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < a.length; i += 4) {
    const alpha = a[i + 3]!;
    if (alpha !== b[i + 3] || (alpha > 0 && (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]))) count++;
  }
  return count;
}
