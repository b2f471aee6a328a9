/**
 * Files a browser could run must not run on the delivery origin, which the dashboard shares. Every delivered
 * response carries a sandbox policy (GitHub serves raw files with the same one): an SVG's scripts, event handlers and
 * `foreignObject` frames, an XML file's XHTML `<script>`, a PDF's JavaScript get no script, no plugins, no forms and an
 * opaque origin. Images are unaffected (the policy governs only what the document itself loads or runs).
 * HTML and XHTML go further: they are delivered as downloads, because a sandboxed page can still be a convincing
 * page (a phishing form needs no script) on the tenant's trusted hostname. JavaScript served with `nosniff` and this
 * policy runs only where a page includes it with `<script src>`, which is what a CDN serves it for.
 */
import { contentDisposition } from './headers';

export const SANDBOX_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/** Types a browser would render as a page of the delivery origin. */
const DOWNLOAD_TYPES = new Set(['text/html', 'application/xhtml+xml']);

export function guardActiveContent(headers: Headers, path: string): void {
  headers.set('Content-Security-Policy', SANDBOX_POLICY);
  headers.set('X-Content-Type-Options', 'nosniff');
  const type = (headers.get('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (DOWNLOAD_TYPES.has(type) && !headers.has('Content-Disposition')) headers.set('Content-Disposition', contentDisposition(path));
}
