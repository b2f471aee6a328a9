import type { Frame } from './frame';
import { type FrameSource, isFrameSource, rowsOf } from './frame-source';

/**
 * A small copy of an image for analysis (smart crop, dominant colours): each cell is the mean RGBA of the block
 * of pixels it covers. Built in one pass over the rows, so a row source (a streaming decode) is read without
 * ever being held at its decoded size.
 */
export interface Preview {
  width: number;
  height: number;
  /** width * height * 4 values, RGBA means, 0–255. */
  data: Float32Array;
  /** The image's size: a preview cell is (source width / width) × (source height / height) pixels. */
  sourceWidth: number;
  sourceHeight: number;
}

/** Samples per cell side the preview averages: more costs time, fewer aliases fine textures. */
const SAMPLES_PER_CELL = 2;

export async function previewOf(image: Frame | FrameSource, maxSide: number): Promise<Preview> {
  const { width: W, height: H } = image;
  const k = Math.max(1, Math.max(W, H) / maxSide);
  const width = Math.max(1, Math.round(W / k));
  const height = Math.max(1, Math.round(H / k));
  // Every `step`-th pixel of every `step`-th row is enough for a block mean, and reads a large frame cheaply.
  const step = Math.max(1, Math.floor(k / SAMPLES_PER_CELL));
  const cellOfColumn = new Int32Array(W);
  for (let x = 0; x < W; x++) cellOfColumn[x] = Math.min(width - 1, Math.floor((x * width) / W));
  const sums = new Float64Array(width * height * 4);
  const counts = new Uint32Array(width * height);
  const stride = W * 4;
  let y = 0;
  await (isFrameSource(image) ? image : rowsOf(image)).read((rows, count) => {
    for (let i = 0; i < count; i++, y++) {
      if (y % step !== 0) continue;
      const base = Math.min(height - 1, Math.floor((y * height) / H)) * width;
      const row = i * stride;
      for (let x = 0; x < W; x += step) {
        const cell = base + cellOfColumn[x]!;
        const p = row + x * 4;
        const c = cell * 4;
        sums[c] += rows[p]!;
        sums[c + 1] += rows[p + 1]!;
        sums[c + 2] += rows[p + 2]!;
        sums[c + 3] += image.hasAlpha ? rows[p + 3]! : 255;
        counts[cell]!++;
      }
    }
  });
  const data = new Float32Array(width * height * 4);
  for (let cell = 0; cell < counts.length; cell++) {
    const n = counts[cell]!;
    if (n === 0) continue; // only when a side is under SAMPLES_PER_CELL steps: left transparent, scores nothing
    for (let c = 0; c < 4; c++) data[cell * 4 + c] = sums[cell * 4 + c]! / n;
  }
  return { width, height, data, sourceWidth: W, sourceHeight: H };
}
