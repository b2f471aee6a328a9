/**
 * Plans one chained step for an image of known size: geometry first, then the fixed order of pixel
 * operations. Planning is pure and cheap, so the pipeline runs it over the header's dimensions to check
 * output limits before anything is decoded, and again over the real frame while rendering.
 */
import { blurSigmaFromRadius } from '../image/blur';
import type { Rgba } from '../image/frame';
import { evaluate, scopeOf, type Expression } from './expression';
import { planGeometry } from './geometry';
import type { Dimensions, Op, Region } from './planned-ops';
import type { ParamValues } from './params';
import type { Transformation } from './parse';
import { BadParam } from './errors';
import { resolveConditionals } from './conditional';
import { distortOp, gradientOp, shadowOp } from './plan-effects';

const TRANSPARENT: Rgba = { r: 0, g: 0, b: 0, a: 0 };

export interface StepPlan {
  ops: Op[];
  size: Dimensions;
}

/**
 * `custom` is the file's stored focus area (customCoordinates), in the upright original's pixels; `parent` is
 * the size of the image a layer's steps are planned for (`bw bh` in expressions).
 */
export function planStep(size: Dimensions, step: ParamValues, original: Dimensions, custom?: Region, parent?: Dimensions): StepPlan {
  const geometry = planGeometry(size, step, original, custom, parent);
  const ops = [...geometry.ops];
  let { width, height } = geometry.size;
  const background = step.bg?.kind === 'color' ? step.bg.color : undefined;

  if (typeof step.rt === 'number' && step.rt !== 0) {
    ops.push({ op: 'rotate', degrees: step.rt, fill: background ?? TRANSPARENT });
    ({ width, height } = rotatedSize(width, height, step.rt));
  }
  if (step.fl) ops.push({ op: 'flip', horizontal: step.fl.horizontal, vertical: step.fl.vertical });
  if (step.bl) ops.push({ op: 'blur', sigma: blurSigmaFromRadius(step.bl) });
  if (step['e-sharpen']) {
    const level = step['e-sharpen'];
    ops.push(level === true ? { op: 'sharpen' } : { op: 'sharpen', level });
  }
  if (step['e-usm']) ops.push({ op: 'usm', usm: step['e-usm'] });
  if (step['e-grayscale']) ops.push({ op: 'grayscale' });
  if (step['e-contrast']) ops.push({ op: 'contrast' });
  if (step['e-distort']) {
    const distortion = distortOp(step['e-distort'], { width, height });
    ops.push(distortion);
    ({ width, height } = distortion);
  }
  // After a distortion, so the shadow follows the distorted shape.
  if (step['e-shadow']) ops.push(shadowOp(step['e-shadow'], { width, height }));
  if (step['e-gradient']) ops.push(gradientOp(step['e-gradient'], original, { width, height }));
  // Layers lie on the image as its effects left it, and under its border and rounded corners; they never change its size.
  if (step.l?.length) ops.push({ op: 'layers', layers: step.l, original });
  if (step.b) {
    const border = borderWidth(step.b.width, original, { width, height });
    ops.push({ op: 'border', width: border, color: step.b.color });
    width += 2 * border;
    height += 2 * border;
  }
  // After the border, so a rounded image gets a rounded border, as CSS draws it.
  if (step.r) ops.push({ op: 'radius', radius: step.r });
  // bg also fills whatever is still transparent (rotation corners, rounded corners, transparent inputs).
  if (background) ops.push({ op: 'background', color: background });
  // Last, so that a translucent image keeps its background translucent too.
  if (step.o !== undefined && step.o !== 100) ops.push({ op: 'opacity', percent: step.o });
  return { ops, size: { width, height } };
}

function borderWidth(value: number | Expression, original: Dimensions, current: Dimensions): number {
  if (typeof value === 'number') return value;
  const width = Math.round(evaluate(value, scopeOf(original, current)));
  if (!(width >= 1 && width <= 500)) throw new BadParam('b', value.source, 'a border width from 1 to 500 pixels');
  return width;
}

/** The canvas of a rotation: exact for right angles, the bounding box of the rotated rectangle otherwise. */
export function rotatedSize(width: number, height: number, degrees: number): Dimensions {
  if (degrees % 180 === 0) return { width, height };
  if (degrees % 90 === 0) return { width: height, height: width };
  const radians = (degrees * Math.PI) / 180;
  const cos = Math.abs(Math.cos(radians));
  const sin = Math.abs(Math.sin(radians));
  return { width: Math.ceil(width * cos + height * sin), height: Math.ceil(width * sin + height * cos) };
}

/** The steps that run on an image of `oriented` (header) size: conditional blocks replaced by their branch. */
export function stepsFor(t: Transformation, oriented: Dimensions, custom?: Region): ParamValues[] {
  return resolveConditionals(t.steps, oriented, planStep, custom);
}

/**
 * The size after each step of a whole transformation, from the header size (trim is ignored: it can only
 * shrink). The last entry is the output.
 */
export function plannedSizes(t: Transformation, oriented: Dimensions, custom?: Region): Dimensions[] {
  const sizes: Dimensions[] = [];
  let size = oriented;
  for (const step of stepsFor(t, oriented, custom)) {
    size = planStep(size, step, oriented, custom).size;
    sizes.push(size);
  }
  return sizes.length ? sizes : [oriented];
}

/**
 * The largest frame any step holds, intermediate frames included (a fo-auto cover crop resizes the whole image
 * before it cuts the window): what admission to the isolate's memory counts.
 */
export function largestFrame(t: Transformation, oriented: Dimensions, custom?: Region): Dimensions {
  let size = oriented;
  // As plannedSizes: the original itself counts only when nothing is done to it (a decoder streams it otherwise).
  const steps = stepsFor(t, oriented, custom);
  let largest = steps.length ? { width: 0, height: 0 } : oriented;
  const consider = (d: Dimensions) => {
    if (d.width * d.height > largest.width * largest.height) largest = { width: d.width, height: d.height };
  };
  for (const step of steps) {
    const plan = planStep(size, step, oriented, custom);
    // A distortion draws onto a new canvas while its input is still held, like a resize.
    for (const op of plan.ops) if (op.op === 'resize' || op.op === 'pad' || op.op === 'perspective' || op.op === 'arc') consider(op);
    size = plan.size;
    consider(size);
  }
  return largest;
}
