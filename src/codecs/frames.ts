import { anyTransparent, type Frame } from '../image/frame';
import { flatten } from '../image/flatten';
import type { ImageDataLike } from './wasm/image-data';

const WHITE = { r: 255, g: 255, b: 255, a: 255 };

/** Wraps decoder output as a Frame without copying the pixels. */
export function toFrame(image: ImageDataLike, mayHaveAlpha: boolean): Frame {
  const data = image.data instanceof Uint8ClampedArray ? image.data : new Uint8ClampedArray(image.data);
  return { width: image.width, height: image.height, data, hasAlpha: mayHaveAlpha && anyTransparent(data) };
}

/** An opaque format cannot keep alpha: composite over white (the pipeline flattens over `bg` before this). */
export function flattenedForOpaqueOutput(frame: Frame): Frame {
  return frame.hasAlpha ? flatten(frame, WHITE) : frame;
}
