import { createFrame, type Frame, type Rgba } from './frame';
import { packRgba, pixels32 } from './pixels';

/**
 * Places the frame at (left, top) on a width × height canvas. The canvas is a flat colour, or a prepared
 * background frame of exactly the canvas size (ImageKit's bg-blurred). The frame's pixels are copied, not
 * composited, so a transparent image stays transparent over the fill, as ImageKit's pad modes do.
 */
export function pad(frame: Frame, width: number, height: number, left: number, top: number, fill: Rgba | Frame): Frame {
  if (
    !Number.isInteger(width) || !Number.isInteger(height) || !Number.isInteger(left) || !Number.isInteger(top) ||
    left < 0 || top < 0 || left + frame.width > width || top + frame.height > height
  ) {
    throw new RangeError(`a ${frame.width}x${frame.height} frame does not fit at +${left}+${top} in ${width}x${height}`);
  }
  if (width === frame.width && height === frame.height) return frame;

  const background = 'data' in fill ? fill : undefined;
  const fillHasAlpha = background ? background.hasAlpha : (fill as Rgba).a < 255;
  const out = createFrame(width, height, frame.hasAlpha || fillHasAlpha);
  if (background) {
    if (background.width !== width || background.height !== height) {
      throw new RangeError(`background is ${background.width}x${background.height}, canvas is ${width}x${height}`);
    }
    out.data.set(background.data);
  } else {
    // Filling everything and then overwriting the middle is simpler than filling four margins, and a typed-array
    // fill runs at memset speed.
    pixels32(out).fill(packRgba(fill as Rgba));
  }

  const rowBytes = frame.width * 4;
  for (let row = 0; row < frame.height; row++) {
    const src = row * rowBytes;
    out.data.set(frame.data.subarray(src, src + rowBytes), ((top + row) * width + left) * 4);
  }
  return out;
}
