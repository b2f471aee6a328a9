/**
 * A decoded image: 8-bit RGBA, row-major, no padding between rows.
 *
 * Frames are big (a 12 MP photo is 48 MB), so operations take a frame and return a new one only when the
 * dimensions change; same-size operations work in place and return the frame they were given.
 */
export interface Frame {
  width: number;
  height: number;
  /** width * height * 4 bytes, RGBA, not premultiplied. */
  data: Uint8ClampedArray;
  /** False when every alpha value is known to be 255; lets operations skip alpha handling. */
  hasAlpha: boolean;
  /**
   * Each pixel is the mean of a block of the original: a JPEG decoded at 1/2, 1/4 or 1/8 (libjpeg's reduced
   * IDCTs are box filters). A resize from such a frame compensates the box's softening (wasm/resize/resize.c).
   * Kept through crops, flips and the EXIF orientation, which move pixels without changing them; dropped by
   * every other operation.
   */
  boxFiltered?: boolean;
}

/** An RGBA colour, each channel 0–255. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

export type Anchor =
  | 'center'
  | 'top'
  | 'left'
  | 'bottom'
  | 'right'
  | 'top_left'
  | 'top_right'
  | 'bottom_left'
  | 'bottom_right';

export function createFrame(width: number, height: number, hasAlpha: boolean): Frame {
  return { width, height, data: new Uint8ClampedArray(width * height * 4), hasAlpha };
}

/** Whether any pixel of RGBA `data` is not fully opaque. */
export function anyTransparent(data: Uint8Array | Uint8ClampedArray): boolean {
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return true;
  return false;
}

export function frameBytes(width: number, height: number): number {
  return width * height * 4;
}

/**
 * A Uint8Array over the same memory. Pixel copies between a frame (Uint8ClampedArray) and a WASM heap
 * (Uint8Array) go through this: V8's TypedArray.prototype.set converts element by element when the two types
 * differ, about 3× slower than the plain copy it does between arrays of one type (12 MB: 7 ms against 2.5 ms).
 */
export function byteView(data: Uint8Array | Uint8ClampedArray): Uint8Array {
  return data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
