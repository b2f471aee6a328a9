import type { Frame } from './frame';

export interface TrimBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Bounding box of the pixels that differ from the top-left pixel by more than `threshold` (0–100, ImageKit's
 * t-<n>; t-true means 10) in any channel, scaled so 100 ≈ the full 0–255 range. Two fully transparent pixels
 * match whatever their colour. Never empty: when everything matches, the whole frame comes back.
 */
export function findTrimBox(frame: Frame, threshold: number): TrimBox {
  const { width: w, height: h, data } = frame;
  const tolerance = (Math.min(Math.max(threshold, 0), 100) * 255) / 100;
  const r0 = data[0]!, g0 = data[1]!, b0 = data[2]!, a0 = data[3]!;
  const differs = (p: number): boolean => {
    const a = data[p + 3]!;
    if (a === 0 && a0 === 0) return false;
    return (
      Math.abs(data[p]! - r0) > tolerance || Math.abs(data[p + 1]! - g0) > tolerance ||
      Math.abs(data[p + 2]! - b0) > tolerance || Math.abs(a - a0) > tolerance
    );
  };
  const rowDiffers = (y: number): boolean => {
    for (let p = y * w * 4, end = p + w * 4; p < end; p += 4) if (differs(p)) return true;
    return false;
  };

  let top = 0;
  while (top < h && !rowDiffers(top)) top++;
  if (top === h) return { x: 0, y: 0, width: w, height: h };
  let bottom = h - 1;
  while (!rowDiffers(bottom)) bottom--;

  // Each row only needs scanning up to the edges found so far, so the interior is mostly skipped.
  let left = w, right = -1;
  for (let y = top; y <= bottom; y++) {
    const row = y * w * 4;
    for (let x = 0; x < left; x++) if (differs(row + x * 4)) { left = x; break; }
    for (let x = w - 1; x > right; x--) if (differs(row + x * 4)) { right = x; break; }
  }
  return { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
}
