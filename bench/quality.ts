/**
 * Quality measures for pipeline.bench.ts that do not favour either pipeline.
 *
 * - exactLanczos3: the reference neither side produces. "Ideal" in the benchmark is sharp's own resize of a full
 *   decode, which rounds and clamps to 8 bits between its two passes and quantises its weights; for the cases
 *   where sharp itself decodes at full size, sharp's output is that very frame compressed, so SSIM against it
 *   counts any other correct resampler's rounding as loss. This one resamples in float64 (separable Lanczos3,
 *   pixel centres aligned, kernel stretched by the reduction, edge pixels extended, weights normalised) and
 *   rounds once.
 * - meanSsimAtEqualBytes: one quality setting compares two files of slightly different sizes, and WebP's
 *   rate control makes SSIM jump by a few thousandths between neighbouring settings. Encoding each side's
 *   uncompressed frame at every quality from 70 to 90 and averaging SSIM over the byte range both curves cover
 *   (interpolated in log bytes) compares the pipelines at equal bytes.
 * - bytesRatioAtEqualSsim: the same curves read the other way, bytes at equal SSIM (the Bjøntegaard delta
 *   rate, as a ratio).
 */
import sharp, { type Sharp } from 'sharp';
import { ssim } from 'ssim.js';

export interface Rgba {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

function lanczos3(x: number): number {
  x = Math.abs(x);
  if (x < 1e-12) return 1;
  if (x >= 3) return 0;
  const px = Math.PI * x;
  return (3 * Math.sin(px) * Math.sin(px / 3)) / (px * px);
}

/** For each of `out` samples: the first source index and the normalised weights, `n` source samples. */
function weights(n: number, out: number): { first: number; w: Float64Array }[] {
  const scale = n / out;
  const stretch = Math.max(1, scale);
  const support = 3 * stretch;
  const taps: { first: number; w: Float64Array }[] = [];
  for (let i = 0; i < out; i++) {
    const centre = (i + 0.5) * scale - 0.5;
    const first = Math.floor(centre - support) + 1;
    const w = new Float64Array(Math.floor(centre + support) - first + 1);
    let sum = 0;
    for (let k = 0; k < w.length; k++) sum += w[k] = lanczos3((first + k - centre) / stretch);
    for (let k = 0; k < w.length; k++) w[k]! /= sum;
    taps.push({ first, w });
  }
  return taps;
}

/** `src` (RGB or RGBA, `channels` per pixel; colour only) resized to `width`×`height`, RGBA opaque. */
export function exactLanczos3(src: Uint8Array, srcWidth: number, srcHeight: number, channels: number, width: number, height: number): Rgba {
  const h = weights(srcWidth, width);
  const v = weights(srcHeight, height);
  const clamp = (i: number, n: number) => (i < 0 ? 0 : i >= n ? n - 1 : i);
  const rows = new Float64Array(width * srcHeight * 3);
  for (let y = 0; y < srcHeight; y++) {
    for (let x = 0; x < width; x++) {
      const { first, w } = h[x]!;
      let r = 0, g = 0, b = 0;
      for (let k = 0; k < w.length; k++) {
        const i = (y * srcWidth + clamp(first + k, srcWidth)) * channels;
        r += w[k]! * src[i]!;
        g += w[k]! * src[i + 1]!;
        b += w[k]! * src[i + 2]!;
      }
      const o = (y * width + x) * 3;
      rows[o] = r;
      rows[o + 1] = g;
      rows[o + 2] = b;
    }
  }
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const { first, w } = v[y]!;
    for (let x = 0; x < width; x++) {
      let r = 0, g = 0, b = 0;
      for (let k = 0; k < w.length; k++) {
        const i = (clamp(first + k, srcHeight) * width + x) * 3;
        r += w[k]! * rows[i]!;
        g += w[k]! * rows[i + 1]!;
        b += w[k]! * rows[i + 2]!;
      }
      const o = (y * width + x) * 4;
      data[o] = Math.round(r); // Uint8ClampedArray clamps to 0..255
      data[o + 1] = Math.round(g);
      data[o + 2] = Math.round(b);
      data[o + 3] = 255;
    }
  }
  return { data, width, height };
}

/** The exact reference for `bytes` at `width`×`height`: a full decode (sharp, no shrink-on-load), exactLanczos3. */
export async function exactReference(bytes: Uint8Array, width: number, height: number): Promise<Rgba> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  return exactLanczos3(data, info.width, info.height, info.channels, width, height);
}

/** The RGBA pixels a sharp pipeline ends with. */
export async function rgbaOf(pipeline: Sharp): Promise<Rgba> {
  const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

export function decodeRgba(file: Uint8Array): Promise<Rgba> {
  return rgbaOf(sharp(file));
}

/** SSIM at full resolution (by default ssim.js halves 800-wide images first, which hides resampling differences). */
export function ssimOf(x: Rgba, y: Rgba): number {
  // A size mismatch means the two pipelines disagree on the output size: report it rather than paper over it.
  if (x.width !== y.width || x.height !== y.height) {
    throw new Error(`output sizes differ: ${x.width}x${x.height} vs ${y.width}x${y.height}`);
  }
  return ssim(x, y, { downsample: false }).mssim;
}

/** The qualities of the rate-distortion curves. */
export const CURVE_QUALITIES = [70, 72, 74, 76, 78, 80, 82, 84, 86, 88, 90];

/** [bytes, SSIM against each reference] for every quality, sorted by bytes. */
export async function curve(
  encode: (quality: number) => Promise<Uint8Array>,
  references: Rgba[],
  qualities: number[] = CURVE_QUALITIES,
): Promise<number[][]> {
  const points: number[][] = [];
  for (const quality of qualities) {
    const file = await encode(quality);
    const decoded = await decodeRgba(file);
    points.push([file.byteLength, ...references.map((r) => ssimOf(decoded, r))]);
  }
  return points.sort((a, b) => a[0]! - b[0]!);
}

/** Mean of SSIM column `column` of `points` over [low, high] bytes, linear in log(bytes) between points. */
function meanOver(points: number[][], column: number, low: number, high: number): number {
  const steps = 200;
  let sum = 0;
  for (let s = 0; s <= steps; s++) {
    const x = Math.log(low) + ((Math.log(high) - Math.log(low)) * s) / steps;
    let j = 1;
    while (j < points.length - 1 && Math.log(points[j]![0]!) < x) j++;
    const [x0, x1] = [Math.log(points[j - 1]![0]!), Math.log(points[j]![0]!)];
    const [y0, y1] = [points[j - 1]![column]!, points[j]![column]!];
    sum += y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return sum / (steps + 1);
}

/**
 * Mean SSIM of each curve (per reference column) over the byte range all the curves cover, and that range.
 */
export function meanSsimAtEqualBytes(curves: number[][][]): { means: number[][]; low: number; high: number } {
  const low = Math.max(...curves.map((c) => c[0]![0]!));
  const high = Math.min(...curves.map((c) => c[c.length - 1]![0]!));
  if (!(low < high)) throw new Error('the rate-distortion curves do not overlap');
  const means = curves.map((c) => c[0]!.slice(1).map((_, k) => meanOver(c, k + 1, low, high)));
  return { means, low, high };
}

/**
 * Bytes at equal SSIM: the Bjøntegaard delta rate of `ours` against `theirs` for SSIM column `column`, as a
 * ratio. Each curve's log(bytes) is fitted as a cubic in SSIM (least squares over its points, which smooths
 * WebP's rate-control jitter) and the difference of the two fits is averaged over the SSIM range both curves
 * cover. Below 1: `ours` needs fewer bytes for the same quality.
 */
export function bytesRatioAtEqualSsim(ours: number[][], theirs: number[][], column: number): number {
  const range = (c: number[][]) => [Math.min(...c.map((p) => p[column]!)), Math.max(...c.map((p) => p[column]!))];
  const [oursLow, oursHigh] = range(ours);
  const [theirsLow, theirsHigh] = range(theirs);
  const low = Math.max(oursLow!, theirsLow!);
  const high = Math.min(oursHigh!, theirsHigh!);
  if (!(low < high)) throw new Error('the rate-distortion curves cover no common SSIM range');
  // SSIM is mapped onto [-1, 1] over the common range so the fit is well conditioned.
  const t = (s: number) => (2 * (s - low)) / (high - low) - 1;
  const fit = (c: number[][]) => cubicFit(c.map((p) => t(p[column]!)), c.map((p) => Math.log(p[0]!)));
  const [a, b] = [fit(ours), fit(theirs)];
  // The mean over [-1, 1] of a cubic: the even terms only.
  const mean = (p: number[]) => p[0]! + p[2]! / 3;
  return Math.exp(mean(a) - mean(b));
}

/** Least-squares coefficients [c0, c1, c2, c3] of y ≈ c0 + c1 x + c2 x² + c3 x³. */
function cubicFit(xs: number[], ys: number[]): number[] {
  const n = 4;
  const m = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0));
  xs.forEach((x, i) => {
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) m[r]![c]! += x ** (r + c);
      m[r]![n]! += ys[i]! * x ** r;
    }
  });
  // Gaussian elimination with partial pivoting on the 4×4 normal equations.
  for (let col = 0; col < n; col++) {
    const pivot = m.slice(col).reduce((best, row, i) => (Math.abs(row[col]!) > Math.abs(m[best]![col]!) ? col + i : best), col);
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = m[r]![col]! / m[col]![col]!;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  const coefficients = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let c = r + 1; c < n; c++) s -= m[r]![c]! * coefficients[c]!;
    coefficients[r] = s / m[r]![r]!;
  }
  return coefficients;
}
