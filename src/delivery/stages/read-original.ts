import { coalescing } from '../../cache/in-flight';
import type { KeyedContext, ReadContext, Stage } from '../context';
import { assertReadable } from '../originals';

/** Originals being read in this isolate: concurrent misses for one original fetch it once. */
const reading = coalescing<Uint8Array>();

/**
 * Refuses an oversized original from its stored size, then reads its bytes once the isolate has room for them
 * (memory-gate.ts): concurrent misses of large originals must not add up past the isolate's memory before
 * any of them is probed.
 */
export const readOriginal: Stage<KeyedContext, ReadContext> = async (ctx) => {
  const { original } = ctx;
  assertReadable(ctx, original);
  await ctx.memory.take(original.size);
  const key = `${ctx.tenantId}\n${original.path}\n${original.etag}`;
  const bytes = await ctx.timing.time('origin', () => reading(key, () => original.bytes()));
  return Object.assign(ctx, { bytes });
};
