/**
 * A tenant's bounds on the variant space, applied to a parsed transformation before its canonical form is made, so
 * every URL that snaps to the same sizes shares one variant: pixel widths and heights go up to the next step or
 * allowed size, qualities to the nearest allowed one. Fractions and expressions depend on the original and are left
 * as they are (the per-original budget still counts what they make).
 */
import { MAX_PX, type ParamValues } from './params';
import type { Transformation } from './parse';
import type { Length } from './values';

export interface SizeBounds {
  sizeStep: number | null;
  widths: number[];
  heights: number[];
  qualities: number[];
}

export function boundTransformation(t: Transformation, bounds: SizeBounds): Transformation {
  const steps = t.steps.map((step) => boundStep(step, bounds));
  const q = t.output.q;
  const output = q !== undefined && bounds.qualities.length > 0 ? { ...t.output, q: nearest(q, bounds.qualities) } : t.output;
  return { steps, output };
}

function boundStep(step: ParamValues, bounds: SizeBounds): ParamValues {
  const out = { ...step };
  if (out.if) {
    const branch = (steps: ParamValues[]) => steps.map((s) => boundStep(s, bounds));
    out.if = { ...out.if, then: branch(out.if.then), else: branch(out.if.else) };
  }
  if (out.w && out.w !== 'auto') out.w = snapLength(out.w, bounds.widths, bounds.sizeStep);
  if (out.h) out.h = snapLength(out.h, bounds.heights, bounds.sizeStep);
  return out;
}

function snapLength(length: Length, allowed: number[], step: number | null): Length {
  if (length.kind !== 'px') return length;
  return { kind: 'px', value: snapUp(length.value, allowed, step) };
}

/** The smallest allowed size at least `value` (the largest when none is), else `value` rounded up to the step. */
export function snapUp(value: number, allowed: number[], step: number | null): number {
  if (allowed.length > 0) return allowed.find((a) => a >= value) ?? allowed[allowed.length - 1]!;
  if (step) return Math.min(MAX_PX, Math.ceil(value / step) * step);
  return value;
}

/** The allowed value closest to `value`; the higher one on a tie. `allowed` is sorted ascending. */
export function nearest(value: number, allowed: number[]): number {
  return allowed.reduce((best, a) => (Math.abs(a - value) <= Math.abs(best - value) ? a : best));
}
