/** The tenant's bucket as delivery uses it: a read served from outside its jurisdiction shows in Server-Timing. */
import { mediaOf } from '../storage/media';
import type { RequestContext } from './context';

export const deliveryMedia = (ctx: Pick<RequestContext, 'env' | 'tenantId' | 'timing'>): R2Bucket =>
  mediaOf(ctx.env, ctx.tenantId, (from, to) => {
    ctx.timing.fallback = `${from}->${to}`;
  });
