import { DEFAULT_ENDPOINT_ID } from '../../origins/config';
import { findEndpoint, hasPrefix } from '../../origins/build';
import { expandNamed, findNamed, onlyNamed } from '../../transform/named';
import { canonicalize, chain, parseTransformation, type ClientHints } from '../../transform/parse';
import { boundTransformation } from '../../transform/variant-bounds';
import { checkMedia } from '../../video/rules';
import { mediaPath } from '../../video/suffix';
import type { ParsedContext, Stage, TenantContext } from '../context';
import { parseEndpointPath, type EndpointPath } from '../url';

/**
 * Reads the URL with the tenant's config at hand and parses the transformation (path `tr:` first, then `?tr=`)
 * into its typed, canonical form. `n-<name>` tokens are expanded with the tenant's named transformations before
 * parsing, so the canonical form (and the cache key) is that of the expansion.
 */
export const parseRequest: Stage<TenantContext, ParsedContext> = async (ctx) => {
  const through = endpointOf(ctx);
  const text = { path: through.pathTransformation, query: ctx.url.queryTransformation };
  const lookup = (name: string) => findNamed(ctx.tenant, name);
  const expanded = { path: expandNamed(text.path, lookup), query: expandNamed(text.query, lookup) };
  const hints = clientHints(ctx.request);
  const parsed = chain(parseTransformation(expanded.path, hints), parseTransformation(expanded.query, hints));
  // The tenant's bounds apply before the canonical form, so URLs that snap alike share one variant.
  const transformation = boundTransformation(parsed, ctx.tenant.settings.variants);
  // A virtual file (`clip.mp4/ik-master.m3u8`) names the real file before it; its kind bounds the parameters.
  const media = mediaPath(through.path);
  checkMedia(transformation, media.kind, media.file);
  return Object.assign(ctx, {
    urlEndpoint: through.id,
    urlPrefix: through.urlPrefix,
    path: media.file,
    media,
    transformationText: text,
    transformation,
    canonical: canonicalize(transformation),
    namedOnly: onlyNamed(text.path, text.query),
    hintHeaders: [...(hints.used ?? [])].flatMap((hint) => HINT_HEADERS[hint]),
  });
};

/**
 * When the first path segment (before or after `tr:`) is one of the tenant's URL endpoint prefixes, the request
 * goes through that endpoint and the file path is what follows the prefix; otherwise through the default endpoint.
 */
function endpointOf({ tenant, url, request }: TenantContext): EndpointPath & { id: string } {
  // Through Cloudflare's door the source names the file, and the transformation came from its options.
  const source = new URL(url.cloudflare?.sourceUrl ?? request.url);
  const prefixed = tenant.urlEndpoints.length > 0 ? parseEndpointPath(source, url.tenantSegments) : undefined;
  const endpoint = prefixed && hasPrefix(tenant, prefixed.urlPrefix) ? findEndpoint(tenant, prefixed.urlPrefix) : undefined;
  if (prefixed && endpoint) return { id: endpoint.id, ...prefixed, pathTransformation: prefixed.pathTransformation || url.pathTransformation };
  return { id: DEFAULT_ENDPOINT_ID, urlPrefix: '', path: url.path, pathTransformation: url.pathTransformation };
}

/** The request headers each client hint is read from, in order of preference. */
const HINT_HEADERS = { dpr: ['Sec-CH-DPR', 'DPR'], width: ['Sec-CH-Width', 'Width'] } as const;

function clientHints(request: Request): ClientHints {
  const hints: ClientHints = { used: new Set() };
  const dpr = hintValue(request, HINT_HEADERS.dpr);
  if (dpr >= 0.1 && dpr <= 5) hints.dpr = dpr;
  const width = hintValue(request, HINT_HEADERS.width);
  // A width beyond any output is still a width: w-auto caps it at the largest the grammar takes.
  if (Number.isInteger(width) && width >= 1) hints.width = width;
  return hints;
}

function hintValue(request: Request, names: readonly string[]): number {
  const raw = names.map((name) => request.headers.get(name)).find((value) => value !== null);
  return raw ? Number(raw.trim()) : Number.NaN;
}
