/**
 * How small a decoder may make the image without changing the result: codecs that can scale while decoding
 * (JPEG's DCT scaling, WebP's scaled decode) use it to skip most of the pixels of a big original bound for a
 * small output.
 *
 * The hint is the source size the first step's resize needs so that it does not upscale. The first step is
 * then planned against the smaller frame; that is only safe when it produces the same output there, so
 * anything whose result depends on the decoded size (trim, extracts at pixel positions, sizes given as a
 * fraction of the current image or as `cw`/`ch` expressions) gets no hint. Conditional blocks are resolved first,
 * over the header's size (as applySteps resolves them), so a smaller decode cannot choose another branch.
 */
import { uprightSize } from '../codecs/probe';
import { svgRasterSize } from '../codecs/probe/svg';
import { DECODE_REDUCTIONS, type DecodeHint } from '../codecs/types';
import type { Dimensions, Region } from './planned-ops';
import type { Transformation } from './parse';
import { planStep, stepsFor } from './plan';

/**
 * The minimum decoded size for `t` on an image of `oriented` size (after EXIF orientation), in the decoder's
 * (stored) orientation: width and height swap for orientations 5–8. {} when the first operation is not a
 * reduction, or a smaller source could change the output.
 */
export function decodeHintFor(t: Transformation, oriented: Dimensions, orientation = 1, custom?: Region): DecodeHint {
  const step = stepsFor(t, oriented, custom)[0];
  if (!step || step.t !== undefined) return {};
  const full = planStep(oriented, step, oriented, custom);
  const needed = neededSource(full.ops, oriented);
  if (!needed || (needed.width >= oriented.width && needed.height >= oriented.height)) return {};
  const safe = safeMinimum(step, oriented, needed, full.size, custom);
  if (!safe) return {};
  // A quarter turn swaps the sides both ways, so the swap that makes a stored size upright undoes itself.
  const stored = uprightSize({ ...safe, orientation });
  return { minWidth: stored.width, minHeight: stored.height };
}

/**
 * A vector original (SVG) is drawn at whatever size is asked, larger than declared too: the size the first
 * resize needs, when drawing there plans the same output (then that resize has nothing left to do, and an icon
 * shown large stays sharp). {} when the first operation is not a resize or the output depends on the drawn size.
 */
export function vectorHintFor(t: Transformation, declared: Dimensions, custom?: Region): DecodeHint {
  const step = stepsFor(t, declared, custom)[0];
  if (!step || step.t !== undefined) return {};
  const full = planStep(declared, step, declared, custom);
  const needed = neededSource(full.ops, declared, false);
  if (!needed) return {};
  const hint = { minWidth: needed.width, minHeight: needed.height };
  return plansSame(step, svgRasterSize(declared, hint), declared, full.size, custom) ? hint : {};
}

/**
 * The source size at which the first resize keeps every pixel it outputs, or undefined if there is none; at
 * most the source's own size unless `capped` is false (a vector source can be drawn larger).
 */
function neededSource(ops: ReturnType<typeof planStep>['ops'], source: Dimensions, capped = true): Dimensions | undefined {
  const [first, second] = ops;
  const cap = (value: number, side: number) => (capped ? Math.min(side, value) : value);
  if (first?.op === 'resize') {
    return { width: cap(first.width, source.width), height: cap(first.height, source.height) };
  }
  // Cover-and-crop (c-maintain_ratio with w and h): the crop is planned as a fraction of the source, so the
  // source must be big enough for the cropped part to hold the resize's output.
  if (first?.op === 'extract' && second?.op === 'resize') {
    return {
      width: cap(Math.ceil((source.width * second.width) / first.width), source.width),
      height: cap(Math.ceil((source.height * second.height) / first.height), source.height),
    };
  }
  return undefined;
}

/**
 * Plans the step on every reduced size a decoder may deliver that is still at least `needed`, largest first.
 * Rounding can make a reduced source plan one pixel differently (a one-sided resize rounds the other side);
 * the first size that does raises the minimum above itself, so the decoder stops at the reduction before it.
 * Undefined when not even the first reduction plans the same (the result depends on the decoded size).
 */
function safeMinimum(
  step: Transformation['steps'][number],
  oriented: Dimensions,
  needed: Dimensions,
  output: Dimensions,
  custom: Region | undefined,
): Dimensions | undefined {
  for (const k of DECODE_REDUCTIONS) {
    const size = { width: Math.ceil(oriented.width / k), height: Math.ceil(oriented.height / k) };
    if (size.width < needed.width || size.height < needed.height) break;
    if (!plansSame(step, size, oriented, output, custom)) {
      return k === DECODE_REDUCTIONS[0] ? undefined : { width: size.width + 1, height: size.height + 1 };
    }
  }
  return needed;
}

function plansSame(
  step: Transformation['steps'][number],
  size: Dimensions,
  original: Dimensions,
  output: Dimensions,
  custom: Region | undefined,
) {
  try {
    const planned = planStep(size, step, original, custom).size;
    return planned.width === output.width && planned.height === output.height;
  } catch {
    return false; // e.g. an extract position that no longer fits
  }
}
