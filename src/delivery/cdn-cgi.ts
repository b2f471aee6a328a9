/**
 * The second door: Cloudflare's `/cdn-cgi/image/<options>/<source>`. The source is what an untransformed
 * delivery URL of this host would say after its origin — `<tenant>/<path>` on the deployment's host, `<path>` on
 * a tenant's own hostname, URL endpoint prefixes included — so it is read by the same parseDeliveryUrl, and the
 * options become ImageKit steps (transform/cloudflare/). Everything after that is the one delivery pipeline.
 */
import { HttpError } from '../http/errors';
import { splitSignature } from '../security/signature';
import { compileCloudflare } from '../transform/cloudflare/compile';
import { parseCloudflareOptions } from '../transform/cloudflare/options';
import { parseDeliveryUrl, type DeliveryUrl } from './url';

export const CDN_CGI_PREFIX = '/cdn-cgi/image/';

const HELP = 'Use /cdn-cgi/image/<options>/<tenant>/<path> (on a tenant\'s own hostname, /cdn-cgi/image/<options>/<path>).';

/** The delivery URL a request names, through whichever door it came. */
export function readDeliveryUrl(url: URL, hostTenant?: string): DeliveryUrl | undefined {
  return url.pathname.startsWith(CDN_CGI_PREFIX) ? parseCdnCgiUrl(url, hostTenant) : parseDeliveryUrl(url, hostTenant);
}

export function parseCdnCgiUrl(url: URL, hostTenant?: string): DeliveryUrl | undefined {
  const rest = url.pathname.slice(CDN_CGI_PREFIX.length);
  const cut = rest.indexOf('/');
  if (cut <= 0 || cut === rest.length - 1) throw new HttpError(400, 'A /cdn-cgi/image/ URL needs options and a source image', HELP);
  const compiled = compileCloudflare(parseCloudflareOptions(rest.slice(0, cut)));
  const source = new URL(`${url.origin}/${rest.slice(cut + 1)}${url.search}`);
  const parsed = parseDeliveryUrl(source, hostTenant);
  if (!parsed) return undefined;
  const segments = source.pathname.split('/').slice(1 + parsed.tenantSegments);
  // ImageKit steps would make the source a transformed URL: the options are the whole transformation here.
  if (parsed.queryTransformation || segments.slice(0, 2).some((s) => s.startsWith('tr:'))) {
    throw new HttpError(400, 'The source of a /cdn-cgi/image/ URL takes no tr: steps', HELP);
  }
  return {
    ...parsed,
    // ImageKit signs what follows the endpoint: here the whole path, options included, under the host's origin.
    endpointBase: url.origin,
    pathTransformation: compiled.transformation,
    info: compiled.info || parsed.info,
    cloudflare: { sourceUrl: splitSignature(source.href).url, redirectOnError: compiled.redirectOnError },
  };
}
