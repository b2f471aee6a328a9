import type { KeyedContext, Stage } from '../context';
import { assertMayServe, findRequested } from '../originals';
import { variantKeyOf } from '../variant-key';

/**
 * The cache missed for an original known only from a record: ask the origins now, before its bytes are read. A
 * record that was behind (a new version, the file gone or made private) gives way to what the origin says, and
 * the variant is named after the original actually read, so no variant is ever stored under a stale name.
 */
export const confirmOriginal: Stage<KeyedContext, KeyedContext> = async (ctx) => {
  if (ctx.confirmed) return ctx;
  const original = await findRequested(ctx);
  assertMayServe(ctx, original);
  const unchanged = original.path === ctx.original.path && original.etag === ctx.original.etag;
  const variantKey = unchanged ? ctx.variantKey : await variantKeyOf(ctx, original);
  return Object.assign(ctx, { original, confirmed: true, variantKey });
};
