/**
 * The SDKs' solid colour block, `l-image,i-ik_canvas,bg-<colour>,w-…,h-…`: a canvas of w×h (the parent's size
 * when not given; expressions see `bw bh`) filled with bg (black when not given), `al-1…9` making it 10–90 %
 * opaque. The rest of the layer's steps (r, o, rt, …) then run on it as on any image.
 */
import { createFrame, type Frame } from '../image/frame';
import { resolveLength } from './geometry';
import { scopeOf } from './expression';
import type { Layer } from './layers';
import type { Dimensions } from './planned-ops';
import type { LayerStart, OpenedLayer } from './render-layers';

const BLACK = { r: 0, g: 0, b: 0, a: 255 };

/** The block's size and the steps left to run on it. */
export function solidStart(layer: Layer, parent: Dimensions): LayerStart {
  const [first = {}, ...rest] = layer.steps;
  const { w, h, bg: _bg, ...others } = first;
  const scope = scopeOf(parent, parent, parent);
  const original = {
    width: w && w !== 'auto' ? resolveLength('w', w, parent.width, scope) : parent.width,
    height: h ? resolveLength('h', h, parent.height, scope) : parent.height,
  };
  return { original, steps: Object.keys(others).length ? [others, ...rest] : rest };
}

export function openSolid(layer: Layer, parent: Dimensions): OpenedLayer {
  const start = solidStart(layer, parent);
  const bg = layer.steps[0]?.bg;
  const colour = bg?.kind === 'color' ? bg.color : BLACK;
  const alpha = Math.round(colour.a * (layer.params.al === undefined ? 1 : layer.params.al / 10));
  const frame: Frame = createFrame(start.original.width, start.original.height, alpha < 255);
  const { data } = frame;
  for (let i = 0; i < data.length; i += 4) {
    data[i] = colour.r;
    data[i + 1] = colour.g;
    data[i + 2] = colour.b;
    data[i + 3] = alpha;
  }
  return { ...start, image: frame };
}
