import type { Frame } from './frame';

/** ImageKit's bl-N (1–100) as a Gaussian sigma in pixels. */
export function blurSigmaFromRadius(n: number): number {
  return Math.min(Math.max(n, 0), 100) / 2;
}

/** Gaussian blur in place. Transparent pixels do not bleed their (meaningless) colour into visible ones. */
export function blur(frame: Frame, sigma: number): Frame {
  if (frame.hasAlpha) blurPlane(frame.data, frame.width, frame.height, 4, 4, sigma, true);
  else blurPlane(frame.data, frame.width, frame.height, 4, 3, sigma, false);
  return frame;
}

/**
 * Blurs an interleaved plane in place: `stride` values per pixel, of which the first `channels` are blurred.
 * With `premultiply`, channel 3 is alpha and weights channels 0–2. Shared with sharpen, which blurs a luma plane.
 *
 * Three passes of an "extended" box filter (Gwosdek et al. 2011) per axis: a box with fractional end taps whose
 * variance matches σ²/3 exactly, so small sigmas blur by the right amount instead of snapping to odd box widths.
 * Each pass is a sliding sum, O(1) per pixel whatever the radius; edges repeat the border pixel.
 */
export function blurPlane(
  plane: Uint8ClampedArray | Uint16Array,
  width: number,
  height: number,
  stride: number,
  channels: number,
  sigma: number,
  premultiply: boolean,
): void {
  if (!(sigma > 0) || width === 0 || height === 0) return;
  const box = extendedBox(sigma);
  // One line of floats to gather into and one to ping-pong with, so rounding happens once per axis.
  const longest = Math.max(width, height);
  const a = new Float32Array(longest * channels);
  const b = new Float32Array(longest * channels);
  const line = { plane, channels, premultiply, box, a, b };
  for (let y = 0; y < height; y++) blurLine(line, y * width * stride, stride, width);
  for (let x = 0; x < width; x++) blurLine(line, x * stride, width * stride, height);
}

interface Box {
  /** Whole taps either side of the centre. */
  r: number;
  /** Weight of the one extra tap at each end. */
  alpha: number;
  norm: number;
}

function extendedBox(sigma: number): Box {
  const variance = (sigma * sigma) / 3;
  // Largest plain box with variance r(r+1)/3 not above the target; the end taps make up the rest.
  const r = Math.floor((Math.sqrt(12 * variance + 1) - 1) / 2);
  const alpha = ((2 * r + 1) * ((r * (r + 1)) / 3 - variance)) / (2 * (variance - (r + 1) * (r + 1)));
  return { r, alpha, norm: 1 / (2 * r + 1 + 2 * alpha) };
}

interface Line {
  plane: Uint8ClampedArray | Uint16Array;
  channels: number;
  premultiply: boolean;
  box: Box;
  a: Float32Array;
  b: Float32Array;
}

/**
 * Blurs one row or column: `n` pixels from `start`, `step` apart. The line is gathered into one contiguous
 * run per channel, so every box pass is a plain stride-1 loop.
 */
function blurLine(line: Line, start: number, step: number, n: number): void {
  const { plane, channels, premultiply, box, a, b } = line;
  for (let i = 0, p = start; i < n; i++, p += step) {
    const weight = premultiply ? plane[p + 3]! / 255 : 1;
    for (let c = 0; c < channels; c++) a[c * n + i] = c < 3 ? plane[p + c]! * weight : plane[p + c]!;
  }
  for (let c = 0; c < channels; c++) {
    boxPass(a, b, c * n, n, box);
    boxPass(b, a, c * n, n, box);
    boxPass(a, b, c * n, n, box);
  }
  for (let i = 0, p = start; i < n; i++, p += step) {
    const alpha = premultiply ? b[3 * n + i]! : 255;
    const unweight = alpha > 0 ? 255 / alpha : 0;
    for (let c = 0; c < channels; c++) {
      // Blurred values stay within the input range; rounding by hand because a Uint16Array would truncate.
      const v = c < 3 ? b[c * n + i]! * unweight : b[c * n + i]!;
      plane[p + c] = (v + 0.5) | 0;
    }
  }
}

/** One extended-box pass over src[offset, offset + n), edges repeating the end samples. */
function boxPass(src: Float32Array, dst: Float32Array, offset: number, n: number, { r, alpha, norm }: Box): void {
  const last = offset + n - 1;
  let sum = src[offset]! * (r + 1);
  for (let k = 1; k <= r; k++) sum += src[Math.min(offset + k, last)]!;
  for (let i = offset, end = offset + n; i < end; i++) {
    const ahead = src[Math.min(i + r + 1, last)]!;
    const behind = src[Math.max(i - r - 1, offset)]!;
    dst[i] = (sum + alpha * (ahead + behind)) * norm;
    sum += ahead - src[Math.max(i - r, offset)]!;
  }
}
