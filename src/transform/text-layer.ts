/**
 * ImageKit's text layers, `l-text,i-<text>,fs-…,ff-…,co-…,w-…,bg-…,…,l-end`: the layer's parameters and the
 * w (wrap width) and bg (box colour) of its first step make a TextSpec for src/text; its other steps (r, rt, fl,
 * …) then run on the drawn box like on any image. Sizes may be expressions of the parent's (`bw bh bar`).
 */
import type { Frame } from '../image/frame';
import { drawText, measureText, type PreparedText, TEXT_LIMITS, type TextSpec } from '../text/render-text';
import { BadParam } from './errors';
import { evaluate, scopeOf } from './expression';
import { resolveLength } from './geometry';
import type { Layer } from './layers';
import type { Dimensions } from './planned-ops';
import type { LayerStart, OpenedLayer } from './render-layers';
import type { TextLength } from './text-grammars';

/** ImageKit's default font size. */
export const DEFAULT_FONT_SIZE = 45;
const BLACK = { r: 0, g: 0, b: 0, a: 255 };

/** The font a text layer asks for (what has to be opened before it can be measured). */
export function textFontOf(layer: Layer): TextSpec['font'] {
  const ff = layer.params.ff;
  return ff?.kind === 'file' ? { tenantPath: ff.path } : { family: ff?.family ?? 'Open Sans' };
}

/** The text's layout and style, with expressions resolved against the parent. */
export function textSpecOf(layer: Layer, parent: Dimensions): TextSpec {
  const { fs, co, ia, pa, lh, lsp, tg } = layer.params;
  const first = layer.steps[0] ?? {};
  const scope = scopeOf(parent, parent, parent);
  const px = (key: string, value: TextLength | undefined, fallback: number, min: number, max = 16383) => {
    if (!value) return fallback;
    const result = value.kind === 'px' ? value.value : evaluate(value.expr, scope);
    if (!Number.isFinite(result) || result < min || result > max) {
      throw new BadParam(key, value.kind === 'expr' ? value.expr.source : String(result), `a size from ${min} to ${max} px`);
    }
    return result;
  };
  const bg = first.bg;
  if (bg && bg.kind !== 'color') throw new BadParam('bg', bg.kind, 'a colour (RRGGBB, RRGGBBAA or a name) behind a text layer');
  const width = first.w;
  if (width === 'auto') throw new BadParam('w', 'auto', 'a wrap width in px, a fraction of the parent, or an expression, in a text layer');
  return {
    text: layer.input ?? '',
    font: textFontOf(layer),
    size: px('fs', fs, DEFAULT_FONT_SIZE, 1, TEXT_LIMITS.maxFontSize),
    bold: tg?.bold ?? false,
    italic: tg?.italic ?? false,
    strikethrough: tg?.strikethrough ?? false,
    color: co ?? BLACK,
    background: bg?.kind === 'color' ? bg.color : undefined,
    padding: pa ? [px('pa', pa[0], 0, 0), px('pa', pa[1], 0, 0), px('pa', pa[2], 0, 0), px('pa', pa[3], 0, 0)] : [0, 0, 0, 0],
    align: ia ?? 'center',
    lineHeight: lh ? px('lh', lh, 0, 1) : undefined,
    letterSpacing: lsp ?? 0,
    width: width ? resolveLength('w', width, parent.width, scope) : undefined,
  };
}

/** The steps the box's pixels go through: the first step without the w and bg the text took. */
function boxSteps(layer: Layer): Layer['steps'] {
  const [first = {}, ...rest] = layer.steps;
  const { w: _w, bg: _bg, ...others } = first;
  return Object.keys(others).length ? [others, ...rest] : rest;
}

/** The box's size (laid out, nothing drawn) and the steps left to run on it. */
export function textStart(layer: Layer, parent: Dimensions, fonts: PreparedText): LayerStart {
  return { original: measureText(textSpecOf(layer, parent), fonts), steps: boxSteps(layer) };
}

export function openText(layer: Layer, parent: Dimensions, fonts: PreparedText): OpenedLayer {
  const frame: Frame = drawText(textSpecOf(layer, parent), fonts);
  const al = layer.params.al;
  if (al !== undefined) {
    for (let i = 3; i < frame.data.length; i += 4) frame.data[i] = Math.round((frame.data[i]! * al) / 10);
    frame.hasAlpha = true;
  }
  return { image: frame, original: { width: frame.width, height: frame.height }, steps: boxSteps(layer) };
}
