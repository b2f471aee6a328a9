import { createFrame, type Frame } from './frame';
import { type FrameSource, materialize, settleAlpha } from './frame-source';
import { flip } from './flip';
import { pixels32, transposed } from './pixels';

/**
 * Turns a decoded frame upright according to its EXIF Orientation tag. Orientations 2–4 keep the dimensions
 * and work in place; 5–8 swap width and height and return a new frame.
 */
export function applyOrientation(frame: Frame, orientation: number): Frame {
  switch (orientation) {
    case 2: return flip(frame, true, false);
    case 3: return flip(frame, true, true);
    case 4: return flip(frame, false, true);
    case 5: return transposed(frame, false, false);
    case 6: return transposed(frame, true, false); // rotate 90° clockwise
    case 7: return transposed(frame, true, true);
    case 8: return transposed(frame, false, true); // rotate 270° clockwise
    // 1, a missing tag, or a value outside the spec: show the pixels as stored, as browsers do.
    default: return frame;
  }
}

/** The transposing orientations: [mirrorX, mirrorY] as transposed() takes them. */
const TRANSPOSING: Record<number, [boolean, boolean]> = { 5: [false, false], 6: [true, false], 7: [true, true], 8: [false, true] };

/**
 * A row source's pixels as an upright frame, each strip written to its turned place as it is read, so a turned
 * image is held once (a decoded frame turned by applyOrientation is held twice while it turns: 96 MB for a
 * 12 MP photo). Flips (2–4) work in place anyway; the result equals applyOrientation(materialize(source)).
 */
export async function orientRows(source: FrameSource, orientation: number): Promise<Frame> {
  const turn = TRANSPOSING[orientation];
  if (!turn) return applyOrientation(await materialize(source), orientation);
  const [mirrorX, mirrorY] = turn;
  const { width: w, height: h } = source;
  const out = createFrame(h, w, source.hasAlpha);
  if (source.boxFiltered) out.boxFiltered = true;
  const dst = pixels32(out);
  let y = 0;
  await source.read((rows, count) => {
    if (y + count > h) throw new RangeError(`the source gave more than its ${h} rows`);
    const src = new Uint32Array(rows.buffer, rows.byteOffset, count * w);
    // As in transposed(): stored (x, y) lands in column y (or h-1-y) of row x (or w-1-x).
    for (let r = 0; r < count; r++, y++) {
      const column = mirrorX ? h - 1 - y : y;
      for (let x = 0, s = r * w; x < w; x++, s++) dst[(mirrorY ? w - 1 - x : x) * h + column] = src[s]!;
    }
  });
  if (y !== h) throw new RangeError(`the source ended after ${y} of its ${h} rows`);
  return settleAlpha(out, source);
}
