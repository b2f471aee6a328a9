import { probe, uprightSize } from '../../codecs/probe';
import { ProbeError } from '../../codecs/probe/errors';
import { decoderFor } from '../../codecs/registry';
import { HttpError } from '../../http/errors';
import { plannedLayers } from '../../transform/layer-sizes';
import { everyLayer } from '../../transform/layers';
import type { ProbedContext, Stage } from '../context';
import { type LayerFile, layerSources } from '../layers/sources';
import { readOriginalBytes } from './read-original';

const LAYER_HELP = 'Layer images are still JPEG, PNG, WebP, AVIF, HEIC or GIF files (a GIF gives its first frame).';

/**
 * Reads each layer file and its header, and enforces the limits on layers before anything is decoded: each file
 * within the tenant's input limit, all of them together within it too, and the pixels every layer is drawn with
 * (the base's output counted) within its output limit. The memory estimate grows by the largest layer.
 */
export const probeLayers: Stage<ProbedContext> = async (ctx) => {
  if (!everyLayer(ctx.transformation.steps).length) return;
  const limits = ctx.tenant.settings.limits;
  const images = new Map<string, LayerFile>();
  let inputPixels = 0;
  for (const [path, file] of ctx.layerFiles ?? []) {
    const bytes = await readOriginalBytes(ctx, file);
    let info;
    try {
      info = probe(bytes);
    } catch (error) {
      if (!(error instanceof ProbeError)) throw error;
      throw new HttpError(422, `The layer image "${path}" cannot be read as an image: ${error.reason}`, LAYER_HELP);
    }
    if (!decoderFor(info.format) || (info.format === 'webp' && info.frames > 1)) {
      throw new HttpError(422, `The layer image "${path}" (${info.frames > 1 ? 'animated ' : ''}${info.format.toUpperCase()}) cannot be decoded`, LAYER_HELP);
    }
    inputPixels += info.width * info.height;
    images.set(path, { bytes, info });
  }
  if (inputPixels / 1e6 > limits.maxInputMegapixels) {
    throw new HttpError(
      422,
      `The layer images hold ${(inputPixels / 1e6).toFixed(1)} MP together; this tenant's limit (maxInputMegapixels) is ${limits.maxInputMegapixels} MP`,
      'Use smaller layer images, or raise limits.maxInputMegapixels in the tenant settings.',
    );
  }
  const planned = plannedLayers(ctx.transformation, ctx.upright, layerSources(images, ctx.textFonts).start, ctx.focus);
  const drawn = planned.reduce((sum, p) => sum + p.largest.width * p.largest.height, 0);
  if (drawn / 1e6 > limits.maxOutputMegapixels) {
    throw new HttpError(
      422,
      `The layers are drawn with ${(drawn / 1e6).toFixed(1)} MP together; this tenant's limit (maxOutputMegapixels) is ${limits.maxOutputMegapixels} MP`,
      'Make the layers smaller (w, h inside the layer), or raise limits.maxOutputMegapixels in the tenant settings.',
    );
  }
  // Layers are drawn one at a time: the largest decode and frame is what they add to the peak.
  const largest = planned.reduce((most, p) => {
    const file = p.layer.input !== undefined ? images.get(p.layer.input) : undefined;
    const decode = file ? uprightSize(file.info) : p.original;
    return Math.max(most, (decode.width * decode.height + p.largest.width * p.largest.height) * 4);
  }, 0);
  Object.assign(ctx, { layerImages: images, memoryEstimate: ctx.memoryEstimate + largest });
};
