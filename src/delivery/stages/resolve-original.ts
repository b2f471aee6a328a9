import { notFound } from '../../http/errors';
import type { Original } from '../../origins/types';
import type { DeliveryContext, Stage } from '../context';

/**
 * Finds the original's metadata (no body yet) in the tenant's origins, in order. A missing file falls back to
 * the `di` default image, which gets the same transformation.
 */
export const resolveOriginal: Stage = async (ctx) => {
  const original =
    (await ctx.timing.time('origin', () => findIn(ctx, ctx.path))) ??
    (ctx.transformation.output.di ? await ctx.timing.time('origin', () => findIn(ctx, ctx.transformation.output.di!)) : null);
  if (!original) throw notFound(`File "${ctx.path}"`);
  ctx.original = original;
};

async function findIn(ctx: DeliveryContext, path: string): Promise<Original | null> {
  for (const origin of ctx.origins ?? []) {
    const found = await origin.get(path);
    if (found) return found;
  }
  return null;
}
