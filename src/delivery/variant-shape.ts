/**
 * A variant's shape: its transformation without widths and heights, with the Accept class it was negotiated for.
 * Variants of one original and one shape differ only in size, so one can stand in for another (the budget of new
 * variants, src/delivery/stages/limit-new-variants.ts).
 */
import type { VariantDescription } from '../cache/variant-store';
import type { WantedVariant } from '../cache/nearest-variant';
import { sha256Hex } from '../security/crypto';
import { canonicalize } from '../transform/parse';
import type { KeyedContext, TransformedContext } from './context';
import { negotiates } from './format';

async function shapeOf(ctx: KeyedContext): Promise<string> {
  const { steps, output } = ctx.transformation;
  const sizeless = canonicalize({ steps: steps.map(({ w: _w, h: _h, ...rest }) => rest), output });
  const negotiated = negotiates(output.f) ? ctx.acceptClass : '';
  // The layers' files too: a variant drawn with an older layer file never stands in for one with the new.
  return (await sha256Hex(JSON.stringify([sizeless, negotiated, ctx.layerIdentity ?? '']))).slice(0, 24);
}

/** The output size the URL asks for in pixels (its last step that names one, times its dpr), where it does. */
function askedSize(ctx: KeyedContext): { width?: number; height?: number } {
  const step = [...ctx.transformation.steps].reverse().find((s) => s.w || s.h);
  if (!step) return {};
  const dpr = typeof step.dpr === 'number' ? step.dpr : 1;
  const px = (length: typeof step.h) => (length?.kind === 'px' ? length.value * dpr : undefined);
  return { width: step.w && step.w !== 'auto' ? px(step.w) : undefined, height: px(step.h) };
}

export async function wantedVariant(ctx: KeyedContext): Promise<WantedVariant> {
  return { etag: ctx.original.etag, shape: await shapeOf(ctx), ...askedSize(ctx) };
}

export async function describeVariant(ctx: TransformedContext): Promise<VariantDescription> {
  return { etag: ctx.original.etag, shape: await shapeOf(ctx), width: ctx.output.width, height: ctx.output.height };
}
