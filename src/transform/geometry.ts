/**
 * Turns a step's w/h/ar/dpr/c/cm/fo/x/y/xc/yc into extract, resize and pad operations for an image of known
 * size. Semantics follow ImageKit: with both w and h, c-maintain_ratio covers the box and crops the excess
 * (cropping the source first, so the resize reads only what survives); at_max fits without enlarging;
 * cm-pad_resize fits and pads; cm-extract cuts without scaling.
 */
import { anchorOffset } from '../image/placement';
import { BadParam } from './errors';
import { evaluate, scopeOf, type Scope } from './expression';
import type { Background } from './grammars';
import { MAX_PX, PARAMS, type ParamValues } from './params';
import type { Dimensions, Op } from './planned-ops';
import type { Coordinate, Length } from './values';

// ImageKit pads with black unless bg says otherwise.
const DEFAULT_PAD: Background = { kind: 'color', color: { r: 0, g: 0, b: 0, a: 255 } };

export interface GeometryResult {
  ops: Op[];
  size: Dimensions;
}

export function planGeometry(size: Dimensions, step: ParamValues, original: Dimensions): GeometryResult {
  const scope = scopeOf(original, size);
  const target = targetBox(size, step, scope);
  const extractMode = step.cm === 'extract' || step.cm === 'pad_extract' || hasPosition(step);
  if (extractMode) return planExtract(size, target, step, scope);
  if (!target.width && !target.height) return { ops: [], size };
  if (step.cm === 'pad_resize' && target.width && target.height) {
    return planPadResize(size, { width: target.width, height: target.height }, step);
  }
  return planResize(size, target, step);
}

interface Box {
  width?: number;
  height?: number;
}

function targetBox(size: Dimensions, step: ParamValues, scope: Scope): Box {
  // `w-auto` is resolved from the client hint while parsing; one left over means no hint, i.e. no width.
  let width = step.w && step.w !== 'auto' ? resolveLength('w', step.w, size.width, scope) : undefined;
  let height = step.h && resolveLength('h', step.h, size.height, scope);
  if (step.ar && (width === undefined) !== (height === undefined)) {
    const ratio = step.ar.kind === 'ratio' ? step.ar.width / step.ar.height : evaluate(step.ar.expr, scope);
    if (!(ratio > 0) || !Number.isFinite(ratio)) {
      throw new BadParam('ar', PARAMS.ar.grammar.format(step.ar), PARAMS.ar.grammar.accepts);
    }
    if (width !== undefined) height = clampPx(width / ratio);
    else if (height !== undefined) width = clampPx(height * ratio);
  }
  const dpr = typeof step.dpr === 'number' ? step.dpr : 1;
  if (dpr !== 1) {
    if (width !== undefined) width = clampPx(width * dpr);
    if (height !== undefined) height = clampPx(height * dpr);
  }
  return { width, height };
}

function planResize(size: Dimensions, target: Box, step: ParamValues): GeometryResult {
  const { width: W, height: H } = size;
  const crop = step.c ?? 'maintain_ratio';
  const ops: Op[] = [];
  if (target.width && target.height) {
    const sx = target.width / W;
    const sy = target.height / H;
    if (crop === 'force') return resizeTo(size, target.width, target.height);
    if (crop === 'at_max' || crop === 'at_max_enlarge') {
      const s = crop === 'at_max' ? Math.min(sx, sy, 1) : Math.min(sx, sy);
      return resizeTo(size, clampPx(W * s), clampPx(H * s));
    }
    if (crop === 'at_least') {
      const s = Math.max(sx, sy);
      return resizeTo(size, clampPx(W * s), clampPx(H * s));
    }
    // maintain_ratio: cover the box, crop the source to the box's aspect ratio first. at_max_crop never enlarges,
    // so a side the image cannot fill stays its own size (Cloudflare's fit=crop).
    const s = crop === 'at_max_crop' ? Math.min(Math.max(sx, sy), 1) : Math.max(sx, sy);
    const outW = Math.min(target.width, clampPx(W * s));
    const outH = Math.min(target.height, clampPx(H * s));
    const cropW = Math.min(W, Math.max(1, Math.round(outW / s)));
    const cropH = Math.min(H, Math.max(1, Math.round(outH / s)));
    if (cropW !== W || cropH !== H) {
      const at = anchorOffset(step.fo ?? 'center', W - cropW, H - cropH);
      ops.push({ op: 'extract', x: at.x, y: at.y, width: cropW, height: cropH });
    }
    ops.push(...resizeTo({ width: cropW, height: cropH }, outW, outH).ops);
    return { ops, size: { width: outW, height: outH } };
  }
  // One side given: scale to it, keeping the aspect ratio.
  let s = target.width ? target.width / W : target.height! / H;
  if (crop === 'at_max' || crop === 'at_max_crop') s = Math.min(s, 1);
  return resizeTo(size, clampPx(W * s), clampPx(H * s));
}

function planPadResize(size: Dimensions, box: Dimensions, step: ParamValues): GeometryResult {
  const s = Math.min(box.width / size.width, box.height / size.height);
  const inner = { width: clampPx(size.width * s), height: clampPx(size.height * s) };
  const ops = resizeTo(size, inner.width, inner.height).ops;
  if (inner.width !== box.width || inner.height !== box.height) {
    const at = anchorOffset(step.fo ?? 'center', box.width - inner.width, box.height - inner.height);
    ops.push({ op: 'pad', ...box, left: at.x, top: at.y, fill: step.bg ?? DEFAULT_PAD });
  }
  return { ops, size: box };
}

function planExtract(size: Dimensions, target: Box, step: ParamValues, scope: Scope): GeometryResult {
  const { width: W, height: H } = size;
  const boxW = target.width ?? W;
  const boxH = target.height ?? H;
  const width = Math.min(boxW, W);
  const height = Math.min(boxH, H);
  const x = position('x', 'xc', step.x, step.xc, width, W, scope) ?? anchorOffset(step.fo ?? 'center', W - width, 0).x;
  const y = position('y', 'yc', step.y, step.yc, height, H, scope) ?? anchorOffset(step.fo ?? 'center', 0, H - height).y;
  const ops: Op[] = [];
  if (x !== 0 || y !== 0 || width !== W || height !== H) ops.push({ op: 'extract', x, y, width, height });
  if (step.cm === 'pad_extract' && (boxW !== width || boxH !== height)) {
    const at = anchorOffset(step.fo ?? 'center', boxW - width, boxH - height);
    ops.push({ op: 'pad', width: boxW, height: boxH, left: at.x, top: at.y, fill: step.bg ?? DEFAULT_PAD });
    return { ops, size: { width: boxW, height: boxH } };
  }
  return { ops, size: { width, height } };
}

/** The left (or top) edge from x/y or a centre xc/yc; the area must lie inside the image. */
function position(
  edgeKey: 'x' | 'y',
  centreKey: 'xc' | 'yc',
  edge: Coordinate | undefined,
  centre: Coordinate | undefined,
  extent: number,
  limit: number,
  scope: Scope,
): number | undefined {
  const key = edge ? edgeKey : centreKey;
  const given = edge ?? centre;
  if (!given) return undefined;
  const value = given.kind === 'px' ? given.value : Math.round(evaluate(given.expr, scope));
  const start = edge ? value : Math.round(value - extent / 2);
  if (!Number.isFinite(start) || start < 0 || start + extent > limit) {
    throw new BadParam(
      key,
      PARAMS[key].grammar.format(given),
      `a position that keeps the ${extent}px extract inside the ${limit}px image`,
    );
  }
  return start;
}

function hasPosition(step: ParamValues): boolean {
  return step.x !== undefined || step.y !== undefined || step.xc !== undefined || step.yc !== undefined;
}

function resizeTo(size: Dimensions, width: number, height: number): GeometryResult {
  const ops: Op[] = width === size.width && height === size.height ? [] : [{ op: 'resize', width, height }];
  return { ops, size: { width, height } };
}

function resolveLength(key: 'w' | 'h', value: Length, current: number, scope: Scope): number {
  if (value.kind === 'px') return value.value;
  if (value.kind === 'fraction') return clampPx(value.value * current);
  const result = evaluate(value.expr, scope);
  if (!Number.isFinite(result) || result < 1 || result > MAX_PX) {
    throw new BadParam(key, value.expr.source, `an expression that evaluates to 1–${MAX_PX} pixels`);
  }
  return Math.round(result);
}

export function clampPx(value: number): number {
  return Math.max(1, Math.min(MAX_PX, Math.round(value)));
}
