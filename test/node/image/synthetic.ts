import { createFrame, type Frame, type Rgba } from '../../../src/image/frame';

export type Pixel = [r: number, g: number, b: number, a: number];

/** A frame whose pixels come from a function of their position. */
export function frameOf(width: number, height: number, pixel: (x: number, y: number) => Pixel, hasAlpha = false): Frame {
  const frame = createFrame(width, height, hasAlpha);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) frame.data.set(pixel(x, y), (y * width + x) * 4);
  }
  return frame;
}

export function solid(width: number, height: number, c: Rgba): Frame {
  return frameOf(width, height, () => [c.r, c.g, c.b, c.a], c.a < 255);
}

/**
 * Every pixel distinct and recognisable: id = 1 + index in reading order, stored as R; G, B and A are derived
 * from it so tests notice a channel travelling on its own.
 */
export function numbered(width: number, height: number): Frame {
  return frameOf(width, height, (x, y) => {
    const id = 1 + y * width + x;
    return [id, 255 - id, (id * 7) % 256, 200 + (id % 50)];
  }, true);
}

/** The ids of a numbered frame as rows, after checking every pixel is still whole. */
export function ids(frame: Frame): number[][] {
  const rows: number[][] = [];
  for (let y = 0; y < frame.height; y++) {
    const row: number[] = [];
    for (let x = 0; x < frame.width; x++) {
      const [id, g, b, a] = pixelAt(frame, x, y);
      if (g !== 255 - id || b !== (id * 7) % 256 || a !== 200 + (id % 50)) throw new Error(`pixel ${x},${y} was torn apart`);
      row.push(id);
    }
    rows.push(row);
  }
  return rows;
}

export function pixelAt(frame: Frame, x: number, y: number): Pixel {
  const i = (y * frame.width + x) * 4;
  const d = frame.data;
  return [d[i]!, d[i + 1]!, d[i + 2]!, d[i + 3]!];
}

/** Deterministic pseudo-random frame (a small LCG), opaque. */
export function noise(width: number, height: number, seed = 1, low = 0, high = 255): Frame {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return low + (state >>> 24) % (high - low + 1);
  };
  return frameOf(width, height, () => [next(), next(), next(), 255]);
}

/** Mean and variance of one channel. */
export function channelStats(frame: Frame, channel: number): { mean: number; variance: number } {
  const d = frame.data;
  const n = frame.width * frame.height;
  let sum = 0, sumSq = 0;
  for (let i = channel; i < d.length; i += 4) {
    sum += d[i]!;
    sumSq += d[i]! * d[i]!;
  }
  const mean = sum / n;
  return { mean, variance: sumSq / n - mean * mean };
}
