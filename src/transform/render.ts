import { findTrimBox } from '../image/trim';
import { crop } from '../image/crop';
import type { Frame } from '../image/frame';
import type { Dimensions } from './ops';
import { applyOp } from './operations';
import type { Transformation } from './parse';
import { planStep } from './plan';

/**
 * Runs every chained step over the frame. Each step is planned against the frame as it is at that point, so
 * fractions and expressions (`w-0.5`, `cw_div_2`) see the output of the step before.
 */
export async function renderSteps(frame: Frame, t: Transformation, original: Dimensions): Promise<Frame> {
  for (const step of t.steps) {
    if (step.t !== undefined) {
      const box = findTrimBox(frame, step.t);
      if (box.width !== frame.width || box.height !== frame.height) {
        frame = crop(frame, box.x, box.y, box.width, box.height);
      }
    }
    const plan = planStep({ width: frame.width, height: frame.height }, step, original);
    for (const op of plan.ops) frame = await applyOp(frame, op);
  }
  return frame;
}
