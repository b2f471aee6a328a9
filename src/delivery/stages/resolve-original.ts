import type { RecalledContext, ResolvedContext, Stage } from '../context';
import { findRequested } from '../originals';

/**
 * The original's metadata (no body yet): what recallOriginal found in a record, or else what the origins say. A
 * missing file falls back to the `di` default image, which gets the same transformation.
 */
export const resolveOriginal: Stage<RecalledContext, ResolvedContext> = async (ctx) => {
  if (ctx.recalled) return Object.assign(ctx, { original: ctx.recalled, confirmed: false });
  return Object.assign(ctx, { original: await findRequested(ctx), confirmed: true });
};
