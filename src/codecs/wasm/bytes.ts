/**
 * A Uint8Array over the same memory as `view`. Pixel copies between a frame (Uint8ClampedArray) and a WASM heap
 * (Uint8Array) go through this: V8's TypedArray.prototype.set converts element by element when the two types
 * differ, about 3× slower than the plain copy it does between arrays of one type (12 MB: 7 ms against 2.5 ms).
 */
export function bytesOf(view: Uint8Array | Uint8ClampedArray): Uint8Array {
  return view instanceof Uint8Array ? view : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}
