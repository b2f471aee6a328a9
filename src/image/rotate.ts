import { createFrame, type Frame, type Rgba } from './frame';
import { flip } from './flip';
import { transposed } from './pixels';

/**
 * Rotates clockwise by `degrees`. Quarter turns move pixels exactly (180° in place, 90°/270° into a new frame).
 * Other angles grow the canvas to the rotated bounding box, sample bilinearly and fill the uncovered area.
 */
export function rotate(frame: Frame, degrees: number, fill: Rgba): Frame {
  const turn = ((degrees % 360) + 360) % 360;
  if (turn === 0) return frame;
  if (turn === 90) return transposed(frame, true, false);
  if (turn === 180) return flip(frame, true, true);
  if (turn === 270) return transposed(frame, false, true);
  return rotateArbitrary(frame, (turn * Math.PI) / 180, fill);
}

/**
 * Samples are weighted by alpha (premultiplied), so neither transparent source pixels nor a transparent fill
 * bleed their colour in. Taps outside the source read the fill, which antialiases the edges for free.
 */
function rotateArbitrary(frame: Frame, radians: number, fill: Rgba): Frame {
  const { width: w, height: h, data: src } = frame;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  // The epsilon stops float noise (e.g. cos 90° ≈ 6e-17) from adding a pixel to an exact size.
  const outW = Math.ceil(Math.abs(w * cos) + Math.abs(h * sin) - 1e-9);
  const outH = Math.ceil(Math.abs(w * sin) + Math.abs(h * cos) - 1e-9);
  const out = createFrame(outW, outH, frame.hasAlpha || fill.a < 255);
  const dst = out.data;
  const fillPx = new Uint8ClampedArray([fill.r, fill.g, fill.b, fill.a]);
  const edgeSum = new Float64Array(4);
  const below = w * 4;

  for (let dy = 0, o = 0; dy < outH; dy++) {
    // Map each output pixel centre back into the source: rotate by -θ about the two centres.
    const u = 0.5 - outW / 2;
    const v = dy + 0.5 - outH / 2;
    let sx = u * cos + v * sin + w / 2 - 0.5;
    let sy = -u * sin + v * cos + h / 2 - 0.5;
    for (let dx = 0; dx < outW; dx++, o += 4, sx += cos, sy -= sin) {
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      let r: number, g: number, b: number, a: number;
      if (x0 >= 0 && y0 >= 0 && x0 < w - 1 && y0 < h - 1) {
        // All four taps inside: the common case, kept free of calls and branches.
        const i = (y0 * w + x0) * 4;
        const j = i + below;
        const w00 = (1 - fx) * (1 - fy) * src[i + 3]!;
        const w10 = fx * (1 - fy) * src[i + 7]!;
        const w01 = (1 - fx) * fy * src[j + 3]!;
        const w11 = fx * fy * src[j + 7]!;
        a = w00 + w10 + w01 + w11;
        r = w00 * src[i]! + w10 * src[i + 4]! + w01 * src[j]! + w11 * src[j + 4]!;
        g = w00 * src[i + 1]! + w10 * src[i + 5]! + w01 * src[j + 1]! + w11 * src[j + 5]!;
        b = w00 * src[i + 2]! + w10 * src[i + 6]! + w01 * src[j + 2]! + w11 * src[j + 6]!;
      } else if (x0 < -1 || y0 < -1 || x0 >= w || y0 >= h) {
        dst.set(fillPx, o);
        continue;
      } else {
        sampleEdge(frame, fillPx, x0, y0, fx, fy, edgeSum);
        r = edgeSum[0]!;
        g = edgeSum[1]!;
        b = edgeSum[2]!;
        a = edgeSum[3]!;
      }
      if (a > 0) {
        dst[o] = r / a;
        dst[o + 1] = g / a;
        dst[o + 2] = b / a;
        dst[o + 3] = a;
      }
    }
  }
  return out;
}

/**
 * Alpha-weighted bilinear sum where some taps fall outside the source and read the fill instead. Results go
 * into `sum` so nothing is allocated per pixel.
 */
function sampleEdge(frame: Frame, fillPx: Uint8ClampedArray, x0: number, y0: number, fx: number, fy: number, sum: Float64Array): void {
  const { width: w, height: h, data } = frame;
  let r = 0, g = 0, b = 0, a = 0;
  for (let k = 0; k < 4; k++) {
    const x = x0 + (k & 1);
    const y = y0 + (k >> 1);
    const weight = (k & 1 ? fx : 1 - fx) * (k >> 1 ? fy : 1 - fy);
    const inside = x >= 0 && y >= 0 && x < w && y < h;
    const px = inside ? data : fillPx;
    const i = inside ? (y * w + x) * 4 : 0;
    const wa = weight * px[i + 3]!;
    r += wa * px[i]!;
    g += wa * px[i + 1]!;
    b += wa * px[i + 2]!;
    a += wa;
  }
  sum[0] = r;
  sum[1] = g;
  sum[2] = b;
  sum[3] = a;
}
