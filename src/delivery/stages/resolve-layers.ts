import type { ResolvedContext, Stage } from '../context';
import { fileLayers, findLayerFiles, layerIdentity } from '../layers/files';

/**
 * Finds the files the transformation's image layers name, under the same origin and privacy rules as the original,
 * before the variant is named: each file's version is part of that name.
 */
export const resolveLayers: Stage<ResolvedContext> = async (ctx) => {
  const layers = fileLayers(ctx);
  if (!layers.length) return;
  const files = await findLayerFiles(ctx, layers);
  Object.assign(ctx, { layerFiles: files, layerIdentity: layerIdentity(files) });
};
