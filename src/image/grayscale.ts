import type { Frame } from './frame';

/**
 * Rec. 709 luma of gamma-encoded sRGB values. Weighting the encoded values (not linear light) is what other
 * image CDNs do and keeps mid-greys where viewers expect them.
 */
export function luma709(r: number, g: number, b: number): number {
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Replaces colour with its luma, in place; alpha is kept. */
export function grayscale(frame: Frame): Frame {
  const { data } = frame;
  for (let p = 0; p < data.length; p += 4) {
    data[p] = data[p + 1] = data[p + 2] = luma709(data[p]!, data[p + 1]!, data[p + 2]!);
  }
  return frame;
}
