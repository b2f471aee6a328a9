import type { Frame } from './frame';
import { luma709 } from './grayscale';

/** Share of pixels allowed to clip at each end, so a few specks of noise do not pin the range. */
const CLIP = 0.005;

/**
 * ImageKit's e-contrast: stretches the luma histogram to 0–255, in place. The same linear map is applied to
 * R, G and B, which scales luma exactly (the weights sum to 1) and keeps channel ratios, hence hues.
 */
export function contrastStretch(frame: Frame): Frame {
  const { data, hasAlpha } = frame;
  const histogram = new Uint32Array(256);
  let counted = 0;
  for (let p = 0; p < data.length; p += 4) {
    // Fully transparent pixels are invisible; their colour must not decide the stretch.
    if (hasAlpha && data[p + 3] === 0) continue;
    histogram[Math.round(luma709(data[p]!, data[p + 1]!, data[p + 2]!))]!++;
    counted++;
  }

  const budget = Math.floor(counted * CLIP);
  let low = 0;
  for (let clipped = 0; low < 255 && clipped + histogram[low]! <= budget; low++) clipped += histogram[low]!;
  let high = 255;
  for (let clipped = 0; high > 0 && clipped + histogram[high]! <= budget; high--) clipped += histogram[high]!;
  if (high <= low) return frame; // flat (or empty): nothing to stretch

  const map = new Uint8ClampedArray(256);
  for (let v = 0; v < 256; v++) map[v] = ((v - low) * 255) / (high - low);
  for (let p = 0; p < data.length; p += 4) {
    data[p] = map[data[p]!]!;
    data[p + 1] = map[data[p + 1]!]!;
    data[p + 2] = map[data[p + 2]!]!;
  }
  return frame;
}
