/**
 * `Link: <…>; rel="canonical"` for files served from an origin with `includeCanonicalHeader` (ImageKit's origin
 * field): search engines then credit the file's own URL, not every transformed variant of it. The URL is the
 * origin's `baseUrlForCanonicalHeader` followed by the file path, or the untransformed delivery URL without one.
 */
import { encodePath } from '../origins/http';
import type { ResolvedContext } from './context';
import { urlEndpointOf } from './stages/verify-signature';

export function canonicalLink(ctx: ResolvedContext): string | null {
  // Originals of network origins carry `<origin id>:` before their version (src/origins/remote.ts).
  const origin = ctx.tenant.origins.find((o) => ctx.original.etag.startsWith(`${o.id}:`));
  if (!origin?.includeCanonicalHeader) return null;
  const base = (origin.baseUrlForCanonicalHeader ?? urlEndpointOf(ctx)).replace(/\/+$/, '');
  return `<${base}/${encodePath(ctx.path)}>; rel="canonical"`;
}
