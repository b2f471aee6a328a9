import { resizeRows } from '../codecs/resize-simd';
import { findTrimBox } from '../image/trim';
import { crop } from '../image/crop';
import type { Frame } from '../image/frame';
import { type FrameSource, materialize } from '../image/frame-source';
import type { Dimensions, Op, Region } from './planned-ops';
import { applyOp, type OpContext } from './apply-op';
import type { Transformation } from './parse';
import { planStep, stepsFor } from './plan';

export interface ApplyOptions {
  /**
   * The caller can encode rows as they come (Encoder.encodeRows): when the last pixel operation is a resize,
   * its output is returned as a row source, read when encoded, so the output image is never held whole.
   */
  rowsOut?: boolean;
  /** The file's stored focus area (`fo-custom`), in the original's pixels. */
  custom?: Region;
  /** Draws the steps' layers (render-layers.ts); a transformation with layers needs it. */
  layers?: OpContext['layers'];
  /** For a layer's own steps: the size of the image it lies on (`bw bh`). */
  parent?: Dimensions;
}

/**
 * Runs every chained step over the image. Each step is planned against the image as it is at that point, so
 * fractions and expressions (`w-0.5`, `cw_div_2`) see the output of the step before. A row source (a
 * streaming decode) goes through extracts and into a resize as it is read; anything else reads it into a frame
 * first. Conditional blocks are resolved over `original`, the header's size, as the limits and decode hint were.
 */
export async function applySteps(image: Frame | FrameSource, t: Transformation, original: Dimensions): Promise<Frame>;
export async function applySteps(
  image: Frame | FrameSource,
  t: Transformation,
  original: Dimensions,
  options: ApplyOptions,
): Promise<Frame | FrameSource>;
export async function applySteps(
  image: Frame | FrameSource,
  t: Transformation,
  original: Dimensions,
  options: ApplyOptions = {},
): Promise<Frame | FrameSource> {
  let streamed = false;
  const steps = stepsFor(t, original, options.custom);
  for (const [s, step] of steps.entries()) {
    if (step.t !== undefined) {
      const frame = await materialize(image);
      image = frame;
      const box = findTrimBox(frame, step.t);
      if (box.width !== frame.width || box.height !== frame.height) {
        image = crop(frame, box.x, box.y, box.width, box.height);
      }
    }
    const plan = planStep({ width: image.width, height: image.height }, step, original, options.custom, options.parent);
    for (const [o, op] of plan.ops.entries()) {
      const last = s === steps.length - 1 && o === plan.ops.length - 1;
      streamed = last && options.rowsOut === true && streamsOut(image, op);
      image = streamed && op.op === 'resize' ? resizeRows(image, op.width, op.height) : await applyOp(image, op, options);
    }
  }
  // Only a resize's rows go on as a source: a decoder's (no resize) are read into a frame, whose pixels the
  // encoder may inspect first (a PNG's palette, whether it is opaque).
  return streamed ? image : materialize(image);
}

/** A resize that changes the size can hand its rows on as it makes them. */
function streamsOut(image: Dimensions, op: Op): op is Extract<Op, { op: 'resize' }> {
  return op.op === 'resize' && (op.width !== image.width || op.height !== image.height);
}
