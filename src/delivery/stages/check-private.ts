import type { ResolvedContext, Stage } from '../context';
import { assertMayServe } from '../originals';

/** Private files need a signed URL or a named transformation; runs once the original is known. */
export const checkPrivate: Stage<ResolvedContext> = async (ctx) => assertMayServe(ctx, ctx.original);
