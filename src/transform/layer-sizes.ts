/**
 * The size every layer will be drawn at, planned from what the layers start from (headers, block sizes): what
 * the limits on composited pixels count before anything is decoded.
 */
import type { Layer } from './layers';
import type { ParamValues } from './params';
import type { Transformation } from './parse';
import { planStep, stepsFor } from './plan';
import type { Dimensions, Region } from './planned-ops';
import type { LayerSource } from './render-layers';

export interface PlannedLayer {
  layer: Layer;
  /** The size of what it starts from (a decode's size for image layers). */
  original: Dimensions;
  /** The largest frame its steps make, and the size it is drawn at. */
  largest: Dimensions;
  drawn: Dimensions;
}

export function plannedLayers(t: Transformation, oriented: Dimensions, start: LayerSource['start'], custom?: Region): PlannedLayer[] {
  return walk(stepsFor(t, oriented, custom), oriented, oriented, start, custom);
}

function walk(
  steps: ParamValues[],
  from: Dimensions,
  original: Dimensions,
  start: LayerSource['start'],
  custom?: Region,
  parent?: Dimensions,
): PlannedLayer[] {
  const found: PlannedLayer[] = [];
  let size = from;
  for (const step of steps) {
    const plan = planStep(size, step, original, custom, parent);
    // Layers are drawn on the step's image before its border: its size without the border is close enough to bound.
    size = plan.size;
    for (const layer of step.l ?? []) {
      const begun = start(layer, size);
      const sizes = [begun.original];
      let layerSize = begun.original;
      for (const inner of begun.steps) {
        layerSize = planStep(layerSize, inner, begun.original, undefined, size).size;
        sizes.push(layerSize);
      }
      const largest = sizes.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
      found.push({ layer, original: begun.original, largest, drawn: layerSize });
      found.push(...walk(begun.steps, begun.original, begun.original, start, undefined, size));
    }
  }
  return found;
}
