import { createFrame, type Frame } from './frame';

/**
 * Box-averages `factor`×`factor` blocks into one pixel (edge blocks average what they have). This is
 * libvips' "shrink" before "reduce": a big reduction first drops to within 2–3× of the target cheaply, so
 * the Lanczos pass reads a quarter (or less) of the pixels and its WASM heap holds a quarter of the frame.
 * With alpha, colours are weighted by alpha so transparent pixels do not darken the edges.
 */
export function boxShrink(frame: Frame, factor: number): Frame {
  if (!Number.isInteger(factor) || factor < 1) throw new RangeError(`shrink factor ${factor} is not a whole number ≥ 1`);
  if (factor === 1) return frame;
  const { width: W, height: H, data } = frame;
  const width = Math.ceil(W / factor);
  const height = Math.ceil(H / factor);
  const out = createFrame(width, height, frame.hasAlpha);
  const sums = new Float64Array(width * 4);
  const weights = new Float64Array(width);
  for (let oy = 0; oy < height; oy++) {
    sums.fill(0);
    weights.fill(0);
    const yEnd = Math.min(H, (oy + 1) * factor);
    for (let y = oy * factor; y < yEnd; y++) {
      let p = y * W * 4;
      for (let x = 0; x < W; x++, p += 4) {
        const o = ((x / factor) | 0) * 4;
        const a = frame.hasAlpha ? data[p + 3]! : 255;
        sums[o] += data[p]! * a;
        sums[o + 1] += data[p + 1]! * a;
        sums[o + 2] += data[p + 2]! * a;
        sums[o + 3] += a;
        weights[o >> 2]! += 1;
      }
    }
    let q = oy * width * 4;
    for (let ox = 0; ox < width; ox++, q += 4) {
      const o = ox * 4;
      const alphaSum = sums[o + 3]!;
      if (alphaSum > 0) {
        out.data[q] = sums[o]! / alphaSum;
        out.data[q + 1] = sums[o + 1]! / alphaSum;
        out.data[q + 2] = sums[o + 2]! / alphaSum;
      }
      out.data[q + 3] = alphaSum / weights[ox]!;
    }
  }
  return out;
}

/** The largest whole shrink that still leaves at least 2× for the final filter on both axes. */
export function shrinkFactor(from: { width: number; height: number }, to: { width: number; height: number }): number {
  return Math.max(1, Math.min(Math.floor(from.width / (2 * to.width)), Math.floor(from.height / (2 * to.height))));
}
