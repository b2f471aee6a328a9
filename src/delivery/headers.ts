import type { KeyedContext, ResolvedContext } from './context';
import { negotiates } from './format';

/** A request about to be answered: its original is known, and the variant has a name once lookupCache gave it one. */
type Answering = ResolvedContext & Partial<Pick<KeyedContext, 'variantKey'>>;

/** Headers every delivered variant carries, whichever cache tier answered. */
export function variantHeaders(ctx: Answering, contentType: string, outputExtension?: string): Headers {
  const headers = new Headers({
    'Content-Type': contentType,
    'Cache-Control': cacheControl(ctx),
    'X-Content-Type-Options': 'nosniff',
    'Server-Timing': ctx.timing.header(),
  });
  if (ctx.variantKey) headers.set('ETag', `"${ctx.variantKey}"`);
  if (negotiates(ctx.transformation.output.f)) headers.set('Vary', 'Accept');
  if (ctx.attachment) headers.set('Content-Disposition', contentDisposition(ctx.path, outputExtension));
  return headers;
}

const PRIVATE_MAX_AGE = 3600;

/**
 * Public variants are cacheable by anyone for long; private files and signed URLs only by the browser that
 * was allowed to fetch them, and briefly, so shared caches never hold what needed a signature.
 */
function cacheControl(ctx: Answering): string {
  const maxAge = ctx.tenant.settings.cacheMaxAgeSeconds;
  if (ctx.original.isPrivate || ctx.signed) return `private, max-age=${Math.min(maxAge, PRIVATE_MAX_AGE)}`;
  return `public, max-age=${maxAge}`;
}

/**
 * `attachment` with the file's own name. When the delivered format differs from the name's extension the
 * extension follows the bytes, so the saved file opens correctly.
 */
export function contentDisposition(path: string, extension?: string): string {
  let name = path.slice(path.lastIndexOf('/') + 1) || 'download';
  if (extension) {
    const dot = name.lastIndexOf('.');
    const current = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
    const same = current === extension || (extension === 'jpg' && current === 'jpeg');
    if (!same) name = `${dot > 0 ? name.slice(0, dot) : name}.${extension}`;
  }
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  // RFC 8187 attr-chars: encodeURIComponent leaves ' ( ) * as they are, which filename* does not allow.
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export function matchesEtag(request: Request, key: string): boolean {
  const header = request.headers.get('If-None-Match');
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === `"${key}"`);
}
