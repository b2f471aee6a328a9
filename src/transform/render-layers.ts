/**
 * Draws a step's layers onto its image: each layer is opened by its kind's source (the caller's, see
 * src/delivery/layers/sources.ts), run through the same step runner as the base image, with `bw bh` the size of
 * the image it lies on, then placed by lx/ly/lfo and composited. Layers inside it are drawn the same way, onto it.
 */
import { compositeAt } from '../image/composite';
import type { Frame } from '../image/frame';
import { type FrameSource, materialize } from '../image/frame-source';
import { anchorOffset } from '../image/placement';
import type { OpContext } from './apply-op';
import { applySteps } from './apply-steps';
import { BadParam } from './errors';
import { evaluate, scopeOf, type Scope } from './expression';
import { isNegative, type Offset } from './layer-grammars';
import type { Layer } from './layers';
import type { ParamValues } from './params';
import type { Dimensions } from './planned-ops';

/** What a layer starts from, known before any decode (a header's size, a block's w and h). */
export interface LayerStart {
  /** The size of the layer's pixels before its steps: what `iw ih` mean in them. */
  original: Dimensions;
  /** The steps to run on it (a kind may have used some of the first step's parameters itself). */
  steps: ParamValues[];
}

export interface OpenedLayer extends LayerStart {
  /** The layer's pixels before its steps. */
  image: Frame | FrameSource;
}

/** How each kind of layer starts and opens (src/delivery/layers/sources.ts holds the table). */
export interface LayerSource {
  start(layer: Layer, parent: Dimensions): LayerStart;
  open(layer: Layer, parent: Dimensions): Promise<OpenedLayer>;
}

export function layerCompositor(open: LayerSource['open']): NonNullable<OpContext['layers']> {
  const draw: NonNullable<OpContext['layers']> = async (frame, op) => {
    for (const layer of op.layers) {
      const parent = { width: frame.width, height: frame.height };
      const opened = await open(layer, parent);
      const drawn = await materialize(await applySteps(opened.image, { steps: opened.steps, output: {} }, opened.original, { layers: draw, parent }));
      const { x, y } = layerPosition(layer, parent, drawn, opened.original);
      compositeAt(frame, drawn, x, y);
    }
    return frame;
  };
  return draw;
}

/**
 * Top-left corner of a layer in its parent: lx/ly when either is given (the other is 0; a negative value measures
 * from the right or bottom edge to the layer's own), else the lfo anchor (default center).
 */
export function layerPosition(layer: Layer, parent: Dimensions, size: Dimensions, original: Dimensions): { x: number; y: number } {
  const { lx, ly, lfo } = layer.params;
  if (lx === undefined && ly === undefined) return anchorOffset(lfo ?? 'center', parent.width - size.width, parent.height - size.height);
  const scope = scopeOf(original, size, parent, size);
  return {
    x: offsetPx('lx', lx, parent.width - size.width, scope),
    y: offsetPx('ly', ly, parent.height - size.height, scope),
  };
}

function offsetPx(key: 'lx' | 'ly', value: Offset | undefined, free: number, scope: Scope): number {
  if (!value) return 0;
  const result = value.kind === 'px' ? value.value : evaluate(value.expr, scope);
  if (!Number.isFinite(result) || Math.abs(result) > 65535) {
    throw new BadParam(key, value.kind === 'expr' ? value.expr.source : String(result), 'an expression of bw bh bar lw lh lar iw ih cw ch giving a finite offset');
  }
  const px = Math.round(result);
  return isNegative(result) ? free + px : px;
}
