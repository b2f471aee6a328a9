/**
 * Turns a step's w/h/ar/dpr/c/cm/fo/x/y/xc/yc into extract, resize and pad operations for an image of known
 * size. Semantics follow ImageKit: with both w and h, c-maintain_ratio covers the box and crops the excess
 * (cropping the source first, so the resize reads only what survives); at_max fits without enlarging;
 * cm-pad_resize fits and pads; cm-extract cuts without scaling.
 *
 * `fo-auto` leaves the window's size planned and its place to the pixels: the extract is marked `focus: 'auto'`
 * and planned at the centre, and the runner moves it (src/image/attention.ts). A cover crop that shrinks is
 * then planned resize-first, so the attention reads the small resized frame rather than the source.
 * `fo-custom` centres the window on the file's stored customCoordinates (the `custom` region).
 */
import type { Anchor } from '../image/frame';
import { anchorOffset } from '../image/placement';
import { BadParam } from './errors';
import { evaluate, scopeOf, type Scope } from './expression';
import type { Background } from './grammars';
import { type Focus, MAX_PX, PARAMS, type ParamValues } from './params';
import type { Dimensions, Op, Region } from './planned-ops';
import type { Coordinate, Length } from './values';

// ImageKit pads with black unless bg says otherwise.
const DEFAULT_PAD: Background = { kind: 'color', color: { r: 0, g: 0, b: 0, a: 255 } };

export interface GeometryResult {
  ops: Op[];
  size: Dimensions;
}

/**
 * `custom` is the file's customCoordinates in the pixels of the upright original; a step whose input has another
 * size (a reduced decode, an earlier step) sees it scaled by the same factors.
 */
export function planGeometry(size: Dimensions, step: ParamValues, original: Dimensions, custom?: Region, parent?: Dimensions): GeometryResult {
  const scope = scopeOf(original, size, parent);
  const target = targetBox(size, step, scope);
  const focus: Focusing = { fo: step.fo ?? 'center', custom: custom && scaleRegion(custom, original, size) };
  const extractMode = step.cm === 'extract' || step.cm === 'pad_extract' || step.cm === 'pad_extract_no_shrink' || hasPosition(step);
  if (extractMode) return planExtract(size, target, step, scope, focus);
  if (!target.width && !target.height) return { ops: [], size };
  if ((step.cm === 'pad_resize' || step.cm === 'pad_resize_no_enlarge') && target.width && target.height) {
    return planPadResize(size, { width: target.width, height: target.height }, step);
  }
  return planResize(size, target, step, focus);
}

interface Focusing {
  fo: Focus;
  /** The stored focus area in the step's input pixels, if the file has one. */
  custom?: Region;
}

/** Where padding places the image: `auto` and `custom` have no subject to keep in a padded frame, so centre. */
const anchorOf = (fo: Focus | undefined): Anchor => (fo === undefined || fo === 'auto' || fo === 'custom' ? 'center' : fo);

/**
 * The top-left corner of a width × height window in a W × H image: at the anchor, or centred on the custom area
 * (as near as the image allows). `auto` is planned at the centre and moved by the runner.
 */
function windowAt(focus: Focusing, W: number, H: number, width: number, height: number): { x: number; y: number } {
  const area = focus.fo === 'custom' ? focus.custom : undefined;
  if (!area) return anchorOffset(anchorOf(focus.fo), W - width, H - height);
  const centred = (start: number, extent: number, window: number, limit: number) =>
    Math.max(0, Math.min(limit - window, Math.round(start + extent / 2 - window / 2)));
  return { x: centred(area.x, area.width, width, W), y: centred(area.y, area.height, height, H) };
}

/** `region` (in `from` pixels) in `to` pixels, kept inside the image. */
function scaleRegion(region: Region, from: Dimensions, to: Dimensions): Region {
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  const x = Math.min(to.width - 1, Math.max(0, Math.round(region.x * sx)));
  const y = Math.min(to.height - 1, Math.max(0, Math.round(region.y * sy)));
  const width = Math.max(1, Math.min(to.width - x, Math.round(region.width * sx)));
  const height = Math.max(1, Math.min(to.height - y, Math.round(region.height * sy)));
  return { x, y, width, height };
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

function planResize(size: Dimensions, target: Box, step: ParamValues, focus: Focusing): GeometryResult {
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
    const auto = focus.fo === 'auto' ? ({ focus: 'auto' } as const) : {};
    if (focus.fo === 'auto' && s <= 1 && (cropW !== W || cropH !== H)) return coverThenFind(size, s, outW, outH);
    if (cropW !== W || cropH !== H) {
      const at = windowAt(focus, W, H, cropW, cropH);
      ops.push({ op: 'extract', x: at.x, y: at.y, width: cropW, height: cropH, ...auto });
    }
    // _no_enlarge: the box's aspect ratio, but never scaled up.
    if (crop === 'maintain_ratio_no_enlarge' && s > 1) return { ops, size: { width: cropW, height: cropH } };
    ops.push(...resizeTo({ width: cropW, height: cropH }, outW, outH).ops);
    return { ops, size: { width: outW, height: outH } };
  }
  // One side given: scale to it, keeping the aspect ratio.
  let s = target.width ? target.width / W : target.height! / H;
  if (crop === 'at_max' || crop === 'at_max_crop') s = Math.min(s, 1);
  return resizeTo(size, clampPx(W * s), clampPx(H * s));
}

/**
 * A shrinking cover crop with `fo-auto`: the whole image resized to cover the box, then the box found in it.
 * The resize streams from the decoder as for any cover crop, and the attention reads a frame not much larger
 * than the output.
 */
function coverThenFind(size: Dimensions, s: number, width: number, height: number): GeometryResult {
  const cover = { width: Math.max(width, clampPx(size.width * s)), height: Math.max(height, clampPx(size.height * s)) };
  const ops = resizeTo(size, cover.width, cover.height).ops;
  if (cover.width !== width || cover.height !== height) {
    const at = anchorOffset('center', cover.width - width, cover.height - height);
    ops.push({ op: 'extract', x: at.x, y: at.y, width, height, focus: 'auto' });
  }
  return { ops, size: { width, height } };
}

function planPadResize(size: Dimensions, box: Dimensions, step: ParamValues): GeometryResult {
  const fit = Math.min(box.width / size.width, box.height / size.height);
  const s = step.cm === 'pad_resize_no_enlarge' ? Math.min(fit, 1) : fit;
  const inner = { width: clampPx(size.width * s), height: clampPx(size.height * s) };
  const ops = resizeTo(size, inner.width, inner.height).ops;
  if (inner.width !== box.width || inner.height !== box.height) {
    const at = anchorOffset(anchorOf(step.fo), box.width - inner.width, box.height - inner.height);
    ops.push({ op: 'pad', ...box, left: at.x, top: at.y, fill: step.bg ?? DEFAULT_PAD });
  }
  return { ops, size: box };
}

function planExtract(size: Dimensions, target: Box, step: ParamValues, scope: Scope, focus: Focusing): GeometryResult {
  const { width: W, height: H } = size;
  // fo-custom without a size cuts the stored area itself.
  const area = focus.fo === 'custom' && !target.width && !target.height ? focus.custom : undefined;
  // _no_shrink: the canvas is never smaller than the image, so nothing is cut.
  const noShrink = step.cm === 'pad_extract_no_shrink';
  const boxW = noShrink ? Math.max(target.width ?? W, W) : (area?.width ?? target.width ?? W);
  const boxH = noShrink ? Math.max(target.height ?? H, H) : (area?.height ?? target.height ?? H);
  const width = Math.min(boxW, W);
  const height = Math.min(boxH, H);
  const placed = area ?? windowAt(focus, W, H, width, height);
  const x = position('x', 'xc', step.x, step.xc, width, W, scope) ?? placed.x;
  const y = position('y', 'yc', step.y, step.yc, height, H, scope) ?? placed.y;
  const auto = focus.fo === 'auto' && !hasPosition(step) && (width !== W || height !== H);
  const ops: Op[] = [];
  if (auto) ops.push({ op: 'extract', x, y, width, height, focus: 'auto' });
  else if (x !== 0 || y !== 0 || width !== W || height !== H) ops.push({ op: 'extract', x, y, width, height });
  if ((step.cm === 'pad_extract' || noShrink) && (boxW !== width || boxH !== height)) {
    const at = anchorOffset(anchorOf(step.fo), boxW - width, boxH - height);
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

export function resolveLength(key: 'w' | 'h', value: Length, current: number, scope: Scope): number {
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
