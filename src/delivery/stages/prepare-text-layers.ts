import { readPlatformFont } from '../../text/fonts';
import { type FontFiles, type PreparedText, prepareText } from '../../text/render-text';
import { everyLayer, type Layer } from '../../transform/layers';
import { textFontOf } from '../../transform/text-layer';
import type { ProbedContext, Stage } from '../context';
import { readOriginalBytes } from './read-original';

/**
 * Opens the fonts of the transformation's text layers, before their sizes are planned (probeLayers): platform
 * fonts from the bundle or R2, a tenant's font file from its library (found by resolveLayers, under the same
 * rules as any file), each held open until the request ends. Text and font size limits are checked here.
 */
export const prepareTextLayers: Stage<ProbedContext> = async (ctx) => {
  const layers = everyLayer(ctx.transformation.steps)
    .map(({ layer }) => layer)
    .filter((layer) => layer.kind === 'text');
  if (!layers.length) return;
  const files: FontFiles = {
    platform: (file) => readPlatformFont(ctx.env.MEDIA, file),
    async tenant(path) {
      const file = ctx.fontFiles?.get(path);
      if (!file) return null;
      return { key: `tenant:${ctx.tenant.id}:${path}:${file.etag}`, read: () => readOriginalBytes(ctx, file) };
    },
  };
  const texts = new Map<Layer, PreparedText>();
  for (const layer of layers) {
    // The size only bounds the check here; the layer's own (an expression of its parent) is checked when laid out.
    const prepared = await prepareText({ text: layer.input ?? '', font: textFontOf(layer), bold: layer.params.tg?.bold ?? false, italic: layer.params.tg?.italic ?? false, size: 1 }, files);
    ctx.memory.hold(prepared.release);
    texts.set(layer, prepared);
  }
  Object.assign(ctx, { textFonts: texts });
};
