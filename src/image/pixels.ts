import { createFrame, type Frame, type Rgba } from './frame';

/**
 * A one-element-per-pixel view of a frame, so moves, fills and reversals handle whole pixels. Byte order never
 * matters because callers only copy these values, never take them apart.
 *
 * Decoders and createFrame hand out 4-byte-aligned buffers; a misaligned subarray is copied once (into
 * frame.data, so in-place callers still write to the frame) rather than giving every operation a second path.
 */
export function pixels32(frame: Frame): Uint32Array {
  if (frame.data.byteOffset % 4 !== 0) frame.data = frame.data.slice();
  const { data } = frame;
  return new Uint32Array(data.buffer, data.byteOffset, data.length >> 2);
}

/** The colour as a pixels32 element, in whatever byte order the platform uses. */
export function packRgba(colour: Rgba): number {
  const bytes = new Uint8ClampedArray([colour.r, colour.g, colour.b, colour.a]);
  return new Uint32Array(bytes.buffer)[0]!;
}

// Square tiles keep both the rows read and the columns written cache-resident; 64 pixels is 256 bytes a row.
const TILE = 64;

/**
 * Swaps the axes of a frame into a new one (height × width): the basis of EXIF orientations 5–8 and of 90°
 * rotations. mirrorX / mirrorY flip the result horizontally / vertically in the same pass.
 */
export function transposed(frame: Frame, mirrorX: boolean, mirrorY: boolean): Frame {
  const { width: w, height: h } = frame;
  const out = createFrame(h, w, frame.hasAlpha);
  if (frame.boxFiltered) out.boxFiltered = true;
  const src = pixels32(frame);
  const dst = pixels32(out);
  // Source (x, y) lands in column y (or h-1-y) of row x (or w-1-x) of the output, which is h pixels wide.
  const step = mirrorY ? -h : h;
  for (let ty = 0; ty < h; ty += TILE) {
    const yEnd = Math.min(ty + TILE, h);
    for (let tx = 0; tx < w; tx += TILE) {
      const xEnd = Math.min(tx + TILE, w);
      for (let y = ty; y < yEnd; y++) {
        const column = mirrorX ? h - 1 - y : y;
        let d = (mirrorY ? w - 1 - tx : tx) * h + column;
        for (let s = y * w + tx, end = y * w + xEnd; s < end; s++, d += step) dst[d] = src[s]!;
      }
    }
  }
  return out;
}
