import { createFrame, type Frame } from './frame';
import type { FrameSource } from './frame-source';

/** Copies the integer region (x, y, width, height) into a new frame; the whole frame comes back unchanged. */
export function crop(frame: Frame, x: number, y: number, width: number, height: number): Frame {
  assertRegion(frame, x, y, width, height);
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

/**
 * The region (x, y, width, height) of a source, as a source: rows above it are skipped, rows below it are never
 * decoded (the read stops after the region's last row), and only its columns are copied, a strip at a time.
 */
export function cropRows(source: FrameSource, x: number, y: number, width: number, height: number): FrameSource {
  assertRegion(source, x, y, width, height);
  if (width === source.width && height === source.height) return source;
  const stride = source.width * 4;
  const rowBytes = width * 4;
  return {
    width,
    height,
    hasAlpha: source.hasAlpha,
    alphaUnchecked: source.alphaUnchecked,
    boxFiltered: source.boxFiltered,
    async read(onRows) {
      let row = 0; // the source row the next strip starts at
      let strip = new Uint8Array(0);
      await source.read((rows, count) => {
        const first = Math.max(row, y);
        const last = Math.min(row + count, y + height);
        row += count;
        if (first >= last) return row < y + height;
        const n = last - first;
        const offset = (first - (row - count)) * stride;
        let wanted: Uint8Array;
        if (width === source.width) {
          wanted = rows.subarray(offset, offset + n * stride);
        } else {
          if (strip.length < n * rowBytes) strip = new Uint8Array(n * rowBytes);
          for (let i = 0; i < n; i++) {
            const start = offset + i * stride + x * 4;
            strip.set(rows.subarray(start, start + rowBytes), i * rowBytes);
          }
          wanted = strip.subarray(0, n * rowBytes);
        }
        return onRows(wanted, n) !== false && row < y + height;
      });
    },
  };
}

/** Throws unless (x, y, width, height) is a whole-pixel region inside `image`. */
function assertRegion(image: { width: number; height: number }, x: number, y: number, width: number, height: number): void {
  if (
    !Number.isInteger(x) || !Number.isInteger(y) || !Number.isInteger(width) || !Number.isInteger(height) ||
    x < 0 || y < 0 || width < 1 || height < 1 || x + width > image.width || y + height > image.height
  ) {
    throw new RangeError(`crop ${width}x${height}+${x}+${y} is outside the ${image.width}x${image.height} frame`);
  }
}
