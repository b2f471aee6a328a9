/**
 * Where each kind of layer gets its pixels: the kinds' table on the delivery side (the grammar's is
 * src/transform/layers.ts). An image layer starts from its file's header and decodes it; a solid block is made
 * from its w, h and bg; a text layer is laid out with its fonts, opened beforehand. Another kind is one more entry here and one in LAYER_KINDS.
 */
import { uprightSize } from '../../codecs/probe';
import { openUpright } from '../../codecs/open';
import type { ImageInfo } from '../../codecs/types';
import type { Layer } from '../../transform/layers';
import type { Dimensions } from '../../transform/planned-ops';
import type { LayerSource } from '../../transform/render-layers';
import { openSolid, solidStart } from '../../transform/solid-layer';
import { openText, textStart } from '../../transform/text-layer';
import type { PreparedText } from '../../text/render-text';

/** A layer file's bytes and header, read and probed before any decode (stages/probe-layers.ts). */
export interface LayerFile {
  bytes: Uint8Array;
  info: ImageInfo;
}

export type LayerFiles = ReadonlyMap<string, LayerFile>;

/** Each text layer's open fonts (stages/prepare-text-layers.ts). */
export type TextFonts = ReadonlyMap<Layer, PreparedText>;

type KindSource = (files: LayerFiles, texts: TextFonts) => LayerSource;

const imageSource: KindSource = (files) => {
  const file = (layer: Layer) => {
    const found = files.get(layer.input!);
    if (!found) throw new TypeError(`layer file ${layer.input} was not read`);
    return found;
  };
  return {
    start: (layer) => ({ original: uprightSize(file(layer).info), steps: layer.steps }),
    async open(layer) {
      const { bytes, info } = file(layer);
      return { image: await openUpright(bytes, info, {}), original: uprightSize(info), steps: layer.steps };
    },
  };
};

const solidSource: KindSource = () => ({
  start: (layer, parent) => solidStart(layer, parent),
  open: async (layer, parent) => openSolid(layer, parent),
});

const textSource: KindSource = (_files, texts) => {
  const fonts = (layer: Layer) => {
    const found = texts.get(layer);
    if (!found) throw new TypeError('text layer fonts were not opened');
    return found;
  };
  return {
    start: (layer, parent) => textStart(layer, parent, fonts(layer)),
    open: async (layer, parent) => openText(layer, parent, fonts(layer)),
  };
};

export const LAYER_SOURCES: Record<string, KindSource> = {
  image: imageSource,
  solid: solidSource,
  text: textSource,
};

/** One source for every kind, dispatching on the layer's. */
export function layerSources(files: LayerFiles, texts: TextFonts = new Map()): LayerSource {
  const sourceOf = (layer: Layer): LayerSource => {
    const make = LAYER_SOURCES[layer.kind];
    if (!make) throw new TypeError(`no source for layer kind ${layer.kind}`);
    return make(files, texts);
  };
  return {
    start: (layer: Layer, parent: Dimensions) => sourceOf(layer).start(layer, parent),
    open: (layer: Layer, parent: Dimensions) => sourceOf(layer).open(layer, parent),
  };
}
