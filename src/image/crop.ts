import { createFrame, type Frame } from './frame';

/** Copies the integer region (x, y, width, height) into a new frame; the whole frame comes back unchanged. */
export function crop(frame: Frame, x: number, y: number, width: number, height: number): Frame {
  if (
    !Number.isInteger(x) || !Number.isInteger(y) || !Number.isInteger(width) || !Number.isInteger(height) ||
    x < 0 || y < 0 || width < 1 || height < 1 || x + width > frame.width || y + height > frame.height
  ) {
    throw new RangeError(`crop ${width}x${height}+${x}+${y} is outside the ${frame.width}x${frame.height} frame`);
  }
  if (width === frame.width && height === frame.height) return frame;
  const out = createFrame(width, height, frame.hasAlpha);
  if (frame.boxFiltered) out.boxFiltered = true;
  const rowBytes = width * 4;
  for (let row = 0; row < height; row++) {
    const start = ((y + row) * frame.width + x) * 4;
    out.data.set(frame.data.subarray(start, start + rowBytes), row * rowBytes);
  }
  return out;
}
