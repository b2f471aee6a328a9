import { blurPlane } from './blur';
import type { Frame } from './frame';
import { luma709 } from './grayscale';

export interface UnsharpOptions {
  /** Gaussian sigma of the blur that defines "detail", in pixels. */
  sigma: number;
  /** How much of the detail to add back: 1 doubles local contrast. */
  amount: number;
  /** Fraction (0–1) of the 0–255 range a detail must exceed to be sharpened; keeps flat areas and noise calm. */
  threshold: number;
}

/**
 * Unsharp mask, in place. Works on luma and adds the same change to R, G and B: no colour fringes, and the
 * blurred copy is one 16-bit plane instead of a second frame. Alpha is never changed.
 */
export function unsharpMask(frame: Frame, { sigma, amount, threshold }: UnsharpOptions): Frame {
  if (!(sigma > 0) || !(amount > 0)) return frame;
  const { width, height, data, hasAlpha } = frame;
  const pixels = width * height;

  // Fixed point: luma × 256 fits 16 bits. With alpha, keep luma × alpha and alpha × 255 instead, so the blur
  // averages only visible neighbours (the alpha-weighted mean), and a soft-edged logo gets no dark rim.
  const stride = hasAlpha ? 2 : 1;
  const plane = new Uint16Array(pixels * stride);
  for (let i = 0, p = 0; i < pixels; i++, p += 4) {
    const luma = luma709(data[p]!, data[p + 1]!, data[p + 2]!);
    if (hasAlpha) {
      plane[2 * i] = luma * data[p + 3]! + 0.5;
      plane[2 * i + 1] = data[p + 3]! * 255;
    } else {
      plane[i] = luma * 256 + 0.5;
    }
  }
  blurPlane(plane, width, height, stride, stride, sigma, false);

  const minDetail = threshold * 255;
  for (let i = 0, p = 0; i < pixels; i++, p += 4) {
    if (hasAlpha && data[p + 3] === 0) continue;
    const luma = luma709(data[p]!, data[p + 1]!, data[p + 2]!);
    let blurred: number;
    if (hasAlpha) {
      const weight = plane[2 * i + 1]!;
      blurred = weight > 0 ? (plane[2 * i]! * 255) / weight : luma;
    } else {
      blurred = plane[i]! / 256;
    }
    const detail = luma - blurred;
    if (detail === 0 || Math.abs(detail) < minDetail) continue;
    const delta = amount * detail;
    data[p] = data[p]! + delta;
    data[p + 1] = data[p + 1]! + delta;
    data[p + 2] = data[p + 2]! + delta;
  }
  return frame;
}

/**
 * ImageKit's e-sharpen / e-sharpen-<n>. ImageKit documents only "higher is sharper", so the mapping is ours:
 *   sigma  = 0.5 + n / 50   (n = 5 → 0.6 px: fine detail; n = 99 → ~2.5 px: broad local contrast)
 *   amount = 0.8 + n / 25   (n = 5 → 1.0;  n = 50 → 2.8;  n = 99 → ~4.8, strong but not destructive)
 *   threshold = 0
 * Bare e-sharpen is n = 5, a mild sharpen comparable to a typical post-resize sharpen.
 */
export function sharpen(frame: Frame, level = 5): Frame {
  const n = Math.min(Math.max(level, 1), 99);
  return unsharpMask(frame, { sigma: 0.5 + n / 50, amount: 0.8 + n / 25, threshold: 0 });
}
