/**
 * Where a text raster's ink is: pure helpers shared by the Node tests (against Pango) and the workerd tests
 * (the Worker's output against a Pango raster made on the Node side).
 */
import type { Frame } from '../../src/image/frame';

/** The frame over white, cropped to the box of its ink (alpha above 1/4). */
export function inkOnWhite(frame: Frame): Frame {
  let x0 = frame.width;
  let y0 = frame.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < frame.height; y++) {
    for (let x = 0; x < frame.width; x++) {
      if (frame.data[(y * frame.width + x) * 4 + 3]! > 64) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  if (x1 < 0) return { width: 1, height: 1, data: new Uint8ClampedArray([255, 255, 255, 255]), hasAlpha: false };
  const width = x1 - x0 + 1;
  const height = y1 - y0 + 1;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = ((y + y0) * frame.width + x + x0) * 4;
      const d = (y * width + x) * 4;
      const a = frame.data[s + 3]! / 255;
      for (let c = 0; c < 3; c++) data[d + c] = frame.data[s + c]! * a + 255 * (1 - a);
      data[d + 3] = 255;
    }
  }
  return { width, height, data, hasAlpha: false };
}

/** Columns [from, to) of a frame. */
export function columns(frame: Frame, from: number, to: number): Frame {
  const width = to - from;
  const data = new Uint8ClampedArray(width * frame.height * 4);
  for (let y = 0; y < frame.height; y++) {
    data.set(frame.data.subarray((y * frame.width + from) * 4, (y * frame.width + to) * 4), y * width * 4);
  }
  return { width, height: frame.height, data, hasAlpha: frame.hasAlpha };
}

/** Bands of rows that hold ink (a text's lines). */
export function inkBands(frame: Frame): number {
  let bands = 0;
  let inBand = false;
  for (let y = 0; y < frame.height; y++) {
    let ink = false;
    for (let x = 0; x < frame.width && !ink; x++) ink = frame.data[(y * frame.width + x) * 4 + 3]! > 64;
    if (ink && !inBand) bands++;
    inBand = ink;
  }
  return bands;
}
