/**
 * Names of cached variants. The key hashes everything the output depends on — tenant, path, the original's
 * etag, the canonical transformation and, when the format is negotiated, the Accept class — so a changed
 * original can never be answered from a stale variant, and equivalent URLs share one entry.
 */
import { sha256Hex } from '../security/crypto';

export const KEY_VERSION = 'v1';

export interface VariantIdentity {
  tenantId: string;
  path: string;
  etag: string;
  canonical: string;
  /** The Accept class when `f` is negotiated, '' otherwise. */
  negotiated: string;
}

export async function variantKey(v: VariantIdentity): Promise<string> {
  const text = JSON.stringify([KEY_VERSION, v.tenantId, v.path, v.etag, v.canonical, v.negotiated]);
  return (await sha256Hex(text)).slice(0, 40);
}

/** R2 prefix of every variant of one path: purging a URL deletes this prefix. */
export async function variantPrefix(tenantId: string, path: string): Promise<string> {
  return `variants/${tenantId}/${(await sha256Hex(path)).slice(0, 24)}/`;
}

/** The synthetic URL that keys a variant in the Cache API. */
export function edgeCacheUrl(tenantId: string, key: string): string {
  return `https://variants.edgepix.internal/${tenantId}/${key}`;
}
