import type { ResolvedContext, Stage } from '../context';
import { FONT, fileLayers, findLayerFiles, fontLayers, layerIdentity } from '../layers/files';

/**
 * Finds the files the transformation's image layers name, and the font files its text layers name, under the same
 * origin and privacy rules as the original, before the variant is named: each file's version is part of that name.
 */
export const resolveLayers: Stage<ResolvedContext> = async (ctx) => {
  const layers = fileLayers(ctx);
  const texts = fontLayers(ctx);
  if (!layers.length && !texts.length) return;
  const files = await findLayerFiles(ctx, layers);
  const fonts = await findLayerFiles(ctx, texts, FONT);
  const identity = new Map([...files, ...[...fonts].map(([path, file]) => [`font:${path}`, file] as const)]);
  Object.assign(ctx, { layerFiles: files, fontFiles: fonts, layerIdentity: layerIdentity(identity) });
};
