import { HttpError } from '../../http/errors';
import type { Stage } from '../context';

/** Refuses an oversized original from its stored size, then reads its bytes. */
export const readOriginal: Stage = async (ctx) => {
  const original = ctx.original!;
  const limit = ctx.tenant!.settings.limits.maxInputBytes;
  if (original.size > limit) {
    throw new HttpError(
      413,
      `The original is ${original.size} bytes; this tenant's limit (maxInputBytes) is ${limit}`,
      'Upload a smaller file or raise limits.maxInputBytes in the tenant settings.',
    );
  }
  ctx.bytes = await ctx.timing.time('origin', () => original.bytes());
};
