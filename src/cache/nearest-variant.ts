/**
 * The stored variant of an original closest in size to one asked for: what delivery serves instead of making a new
 * variant once the original's budget of new variants is spent. Variants are found by listing the path's R2 prefix
 * and reading the description each was stored with (src/cache/variant-store.ts); only those of the same version of
 * the original and the same shape (the same transformation but for its width and height, for the same Accept class)
 * qualify. This is a listing, so it runs only for requests over the budget, never on a cache hit.
 */
import { variantPrefix } from './keys';

export interface WantedVariant {
  etag: string;
  shape: string;
  /** The output size asked for, where the URL gives it in pixels. */
  width?: number;
  height?: number;
}

/** Listing pages read at most (1 000 variants each). */
const MAX_PAGES = 5;

/** The key of the nearest stored variant, or null when the original has none of this shape. */
export async function nearestVariant(bucket: R2Bucket, tenantId: string, path: string, wanted: WantedVariant): Promise<string | null> {
  const prefix = await variantPrefix(tenantId, path);
  let best: { key: string; distance: number } | null = null;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    // `include` is in the runtime's list options since 2022-08-04; the oldest workers-types this project uses lack it.
    const listed = await bucket.list({ prefix, cursor, include: ['customMetadata'] } as R2ListOptions);
    for (const object of listed.objects) {
      const meta = object.customMetadata;
      if (!meta || meta.etag !== wanted.etag || meta.shape !== wanted.shape) continue;
      const distance = sizeDistance(wanted, Number(meta.width), Number(meta.height));
      if (!best || distance < best.distance) best = { key: object.key.slice(prefix.length), distance };
    }
    if (!listed.truncated) break;
    cursor = listed.cursor;
  }
  return best?.key ?? null;
}

/** How far apart two sizes look: the ratio of each given side, on a log scale (so 2× larger and 2× smaller tie). */
function sizeDistance(wanted: WantedVariant, width: number, height: number): number {
  const side = (want: number | undefined, have: number) => (want && have > 0 ? Math.abs(Math.log(have / want)) : 0);
  return side(wanted.width, width) + side(wanted.height, height);
}
