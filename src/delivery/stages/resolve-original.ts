import { HttpError } from '../../http/errors';
import type { RecalledContext, ResolvedContext, Stage } from '../context';
import { findRequested } from '../originals';

/**
 * The original's metadata (no body yet): what recallOriginal found in a record, or else what the origins say. A
 * missing file falls back to the `di` default image, which gets the same transformation. An origin that fails
 * (5xx, unreachable) is answered from a kept stale record, if there is one, so cached variants still serve.
 */
export const resolveOriginal: Stage<RecalledContext, ResolvedContext> = async (ctx) => {
  if (ctx.recalled) return Object.assign(ctx, { original: ctx.recalled, confirmed: false });
  try {
    return Object.assign(ctx, { original: await findRequested(ctx), confirmed: true });
  } catch (error) {
    const failed = !(error instanceof HttpError) || error.status >= 500;
    if (!failed || !ctx.staleIfError) throw error;
    console.warn('origin failed; answering from its last record', error);
    return Object.assign(ctx, { original: ctx.staleIfError, confirmed: false });
  }
};
