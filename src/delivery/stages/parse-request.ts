import type { DeliveryContext, Stage } from '../context';
import { canonicalize, chain, parseTransformation, type ClientHints } from '../../transform/parse';
import { usesNamed } from '../../transform/named';

/**
 * Parses the transformation (path `tr:` first, then `?tr=`) into its typed, canonical form. A transformation
 * that uses `n-<name>` waits for the tenant's named transformations: resolveNamed expands and parses it, so
 * the canonical form (and the cache key) is that of the expansion.
 */
export const parseRequest: Stage = async (ctx) => {
  const { path, query } = ctx.transformationText;
  // loadTenant may call this again once a URL endpoint prefix shows where the `tr:` segment really was.
  ctx.pendingNamed = usesNamed(path) || usesNamed(query);
  if (ctx.pendingNamed) return;
  parseInto(ctx, path, query);
};

/** Parses path and query transformation texts into ctx.transformation and ctx.canonical. */
export function parseInto(ctx: DeliveryContext, path: string, query: string): void {
  const hints = clientHints(ctx.request);
  ctx.transformation = chain(parseTransformation(path, hints), parseTransformation(query, hints));
  ctx.canonical = canonicalize(ctx.transformation);
}

function clientHints(request: Request): ClientHints {
  const raw = request.headers.get('Sec-CH-DPR') ?? request.headers.get('DPR');
  const dpr = raw ? Number(raw) : Number.NaN;
  return Number.isFinite(dpr) && dpr >= 0.1 && dpr <= 5 ? { dpr } : {};
}
