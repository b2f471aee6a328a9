import { watermarkApplies, watermarkSteps } from '../../tenants/watermark';
import { everyLayer } from '../../transform/layers';
import { findNamed } from '../../transform/named';
import { canonicalize } from '../../transform/parse';
import type { ResolvedContext, Stage } from '../context';
import { isOtherFile } from '../untouched';

/**
 * The tenant's enforced watermark (src/tenants/watermark.ts): its steps go after whatever the URL asks for, and
 * `orig-true` is dropped, so no URL form (path or query `tr`, Cloudflare's door, named or unnamed steps, the
 * untransformed URL) reaches the original's pixels; an untransformed URL becomes a variant. The canonical form, and
 * with it the variant's name, includes the watermark's steps: changing the setting never serves an old variant.
 * Files delivery does not read as images (videos, PDFs, documents) are served as stored; SVG and other `image/*`
 * types are not, so they are refused rather than served unmarked.
 */
export const enforceWatermark: Stage<ResolvedContext> = async (ctx) => {
  const setting = ctx.tenant.settings.watermark;
  if (!setting || !watermarkApplies(setting, ctx.path, ctx.signed)) return;
  const type = ctx.original.contentType?.toLowerCase() ?? '';
  if (isOtherFile(type) && !type.startsWith('image/')) return;
  const steps = watermarkSteps(setting.transformation, (name) => findNamed(ctx.tenant, name));
  const { orig: _orig, ...output } = ctx.transformation.output;
  const transformation = { steps: [...ctx.transformation.steps, ...steps], output };
  const watermarkLayers = new Set(everyLayer(steps).map(({ layer }) => layer));
  Object.assign(ctx, { transformation, canonical: canonicalize(transformation), watermarkLayers });
};
