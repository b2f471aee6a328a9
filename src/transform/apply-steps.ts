import { findTrimBox } from '../image/trim';
import { crop } from '../image/crop';
import type { Frame } from '../image/frame';
import { type FrameSource, materialize } from '../image/frame-source';
import type { Dimensions, Region } from './planned-ops';
import { applyOp } from './apply-op';
import type { Transformation } from './parse';
import { planStep } from './plan';

/**
 * Runs every chained step over the image. Each step is planned against the image as it is at that point, so
 * fractions and expressions (`w-0.5`, `cw_div_2`) see the output of the step before. A row source (a
 * streaming decode) goes through extracts and into a resize as it is read; anything else reads it into a frame
 * first.
 */
export async function applySteps(
  image: Frame | FrameSource,
  t: Transformation,
  original: Dimensions,
  custom?: Region,
): Promise<Frame> {
  for (const step of t.steps) {
    if (step.t !== undefined) {
      const frame = await materialize(image);
      image = frame;
      const box = findTrimBox(frame, step.t);
      if (box.width !== frame.width || box.height !== frame.height) {
        image = crop(frame, box.x, box.y, box.width, box.height);
      }
    }
    const plan = planStep({ width: image.width, height: image.height }, step, original, custom);
    for (const op of plan.ops) image = await applyOp(image, op);
  }
  return materialize(image);
}
