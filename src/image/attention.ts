import type { Frame } from './frame';
import type { FrameSource } from './frame-source';
import { type Preview, previewOf } from './preview';

/**
 * `fo-auto` without a model: the width × height window of an image that holds the most of what draws the eye.
 *
 * The image is reduced to a preview of at most PREVIEW_SIDE pixels a side; each preview pixel scores for
 * local contrast (edges of the luma), colourfulness (chroma of reasonably lit pixels) and skin tone, and the
 * window whose score sum is highest wins (a summed-area table makes every position one lookup), unless the
 * centred window scores within TIE of it: a plain or evenly textured image is then cut in the middle, exactly
 * as without `fo-auto`. Transparent pixels score nothing.
 */
const PREVIEW_SIDE = 128;
const TIE = 0.05;
/** Windows within this of the best hold the same subject. */
const EQUAL = 0.01;

/** Edge strength (luma steps over two preview pixels, 0–510 for each axis) that scores as much as full colour. */
const EDGE_SCALE = 40;
const SKIN_WEIGHT = 1.5;

export interface Position {
  x: number;
  y: number;
}

/** The top-left corner of the most interesting width × height window inside `image`. */
export async function attentionWindow(image: Frame | FrameSource, width: number, height: number): Promise<Position> {
  const W = image.width;
  const H = image.height;
  if (width >= W && height >= H) return { x: 0, y: 0 };
  const preview = await previewOf(image, PREVIEW_SIDE);
  return bestWindow(interest(preview), preview, width, height);
}

/** Per preview pixel: edges + colourfulness + skin, weighted by opacity. */
export function interest(p: Preview): Float32Array {
  const { width: w, height: h, data } = p;
  const luma = new Float32Array(w * h);
  for (let i = 0; i < luma.length; i++) {
    luma[i] = 0.299 * data[i * 4]! + 0.587 * data[i * 4 + 1]! + 0.114 * data[i * 4 + 2]!;
  }
  const score = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const up = Math.max(0, y - 1) * w;
    const down = Math.min(h - 1, y + 1) * w;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const left = y * w + Math.max(0, x - 1);
      const right = y * w + Math.min(w - 1, x + 1);
      const edge = Math.abs(luma[right]! - luma[left]!) + Math.abs(luma[down + x]! - luma[up + x]!);
      const r = data[i * 4]!;
      const g = data[i * 4 + 1]!;
      const b = data[i * 4 + 2]!;
      const max = Math.max(r, g, b);
      const chroma = (max - Math.min(r, g, b)) / 255;
      // Chroma of a near-black pixel is noise; full weight from a quarter of full brightness.
      const colour = chroma * Math.min(1, max / 64);
      const skin = isSkin(r, g, b) ? SKIN_WEIGHT : 0;
      const value = Math.min(1, edge / EDGE_SCALE) + colour + skin;
      // Squared, so one strong feature outweighs a spread of weak texture of the same sum.
      score[i] = value * value * (data[i * 4 + 3]! / 255);
    }
  }
  return score;
}

/**
 * Skin tones of any complexion fall in a narrow band of normalised red and green (the brightness removed),
 * above a minimum brightness.
 */
function isSkin(r: number, g: number, b: number): boolean {
  const sum = r + g + b;
  if (sum < 150 || r <= g || r <= b) return false;
  const nr = r / sum;
  const ng = g / sum;
  return nr > 0.36 && nr < 0.47 && ng > 0.28 && ng < 0.36;
}

/** The window with the highest score sum (the centred one unless it is clearly beaten), in image pixels. */
function bestWindow(score: Float32Array, p: Preview, width: number, height: number): Position {
  const { width: w, height: h, sourceWidth: W, sourceHeight: H } = p;
  const kx = W / w;
  const ky = H / h;
  // Rounded down, so the window is never smaller than the preview window it is centred on.
  const ww = Math.min(w, Math.max(1, Math.floor(width / kx)));
  const wh = Math.min(h, Math.max(1, Math.floor(height / ky)));
  // Summed-area table with a zero row and column in front.
  const sw = w + 1;
  const sat = new Float64Array(sw * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += score[y * w + x]!;
      sat[(y + 1) * sw + x + 1] = sat[y * sw + x + 1]! + row;
    }
  }
  const columns = w - ww + 1;
  const sumAt = (x: number, y: number) =>
    sat[(y + wh) * sw + x + ww]! - sat[y * sw + x + ww]! - sat[(y + wh) * sw + x]! + sat[y * sw + x]!;
  let best = 0;
  for (let y = 0; y <= h - wh; y++) for (let x = 0; x < columns; x++) best = Math.max(best, sumAt(x, y));
  // A subject smaller than the window fits many equal windows: take the middle one, which centres it.
  const near = (x: number, y: number) => sumAt(x, y) >= best * (1 - EQUAL);
  let mx = 0;
  let my = 0;
  let n = 0;
  for (let y = 0; y <= h - wh; y++) {
    for (let x = 0; x < columns; x++) {
      if (!near(x, y)) continue;
      mx += x;
      my += y;
      n++;
    }
  }
  mx /= n;
  my /= n;
  let chosen = { x: 0, y: 0 };
  let nearest = Infinity;
  for (let y = 0; y <= h - wh; y++) {
    for (let x = 0; x < columns; x++) {
      const d = (x - mx) ** 2 + (y - my) ** 2;
      if (d < nearest && near(x, y)) {
        nearest = d;
        chosen = { x, y };
      }
    }
  }
  // The centred window (the preview positions next to it) is kept unless some window clearly beats it.
  const cx = (w - ww) / 2;
  const cy = (h - wh) / 2;
  const centre = Math.max(
    ...[Math.floor(cx), Math.ceil(cx)].flatMap((x) => [Math.floor(cy), Math.ceil(cy)].map((y) => sumAt(x, y))),
  );
  if (centre >= best * (1 - TIE)) chosen = { x: cx, y: cy };
  // A centred choice is the exact centre crop (the one without fo-auto), not the preview's rounding of it.
  const place = (at: number, centre: number, k: number, inPreview: number, extent: number, limit: number) =>
    Math.abs(at - centre) <= 0.5
      ? Math.max(0, Math.floor((limit - extent) / 2))
      : Math.max(0, Math.min(limit - extent, Math.round((at + inPreview / 2) * k - extent / 2)));
  return { x: place(chosen.x, cx, kx, ww, width, W), y: place(chosen.y, cy, ky, wh, height, H) };
}
