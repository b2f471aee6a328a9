import type { Stage } from '../context';
import { canonicalize, chain, parseTransformation, type ClientHints } from '../../transform/parse';

/** Parses the transformation (path `tr:` first, then `?tr=`) into its typed, canonical form. */
export const parseRequest: Stage = async (ctx) => {
  const hints = clientHints(ctx.request);
  ctx.transformation = chain(
    parseTransformation(ctx.transformationText.path, hints),
    parseTransformation(ctx.transformationText.query, hints),
  );
  ctx.canonical = canonicalize(ctx.transformation);
};

function clientHints(request: Request): ClientHints {
  const raw = request.headers.get('Sec-CH-DPR') ?? request.headers.get('DPR');
  const dpr = raw ? Number(raw) : Number.NaN;
  return Number.isFinite(dpr) && dpr >= 0.1 && dpr <= 5 ? { dpr } : {};
}
