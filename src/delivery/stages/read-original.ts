import { coalescing } from '../../cache/in-flight';
import type { Original } from '../../origins/types';
import type { KeyedContext, ParsedContext, ReadContext, Stage } from '../context';
import { assertReadable } from '../originals';

/** Originals being read in this isolate: concurrent misses for one original fetch it once. */
const reading = coalescing<Uint8Array>();

/** Reads the original's bytes (readOriginalBytes). */
export const readOriginal: Stage<KeyedContext, ReadContext> = async (ctx) =>
  Object.assign(ctx, { bytes: await readOriginalBytes(ctx, ctx.original) });

/**
 * Refuses an oversized original from its stored size, then reads its bytes once the isolate has room for them
 * (memory-gate.ts): concurrent reads of large originals must not add up past the isolate's memory before any of
 * them is probed. Every stage that needs an original's bytes reads them here.
 */
export async function readOriginalBytes(ctx: ParsedContext, original: Original): Promise<Uint8Array> {
  assertReadable(ctx, original);
  await ctx.memory.take(original.size);
  const key = `${ctx.tenantId}\n${original.path}\n${original.etag}`;
  return ctx.timing.time('origin', () => reading(key, () => original.bytes()));
}
