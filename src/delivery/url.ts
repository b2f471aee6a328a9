import { HttpError } from '../http/errors';

/** The parts of a delivery URL: `/<tenant>[/tr:<steps>]/<path>[?tr=<steps>]`. */
export interface DeliveryUrl {
  tenantId: string;
  /** Percent-decoded file path without the leading slash. */
  path: string;
  /** Transformation text from the path (`tr:`) and from `?tr=`, in that order; empty when absent. */
  pathTransformation: string;
  queryTransformation: string;
  attachment: boolean;
}

const MAX_PATH = 1024;

export function parseDeliveryUrl(url: URL): DeliveryUrl | undefined {
  const segments = url.pathname.split('/').slice(1);
  const tenantId = segments.shift();
  if (!tenantId) return undefined;
  let pathTransformation = '';
  if (segments[0]?.startsWith('tr:')) pathTransformation = decode(segments.shift()!.slice(3));
  const decoded = segments.map(decode);
  if (decoded.length === 0 || decoded.every((s) => s === '')) {
    throw new HttpError(400, 'A file path is required after the tenant', 'Use /<tenant>/<path to file>.');
  }
  // Checked after decoding and joining, so an encoded slash (..%2F) cannot smuggle a segment in.
  const path = decoded.join('/');
  if (path.split('/').some((s) => s === '..' || s === '.') || path.includes('\0')) {
    throw new HttpError(400, 'The file path may not contain "." or ".." segments', 'Use the file\'s real path.');
  }
  if (path.length > MAX_PATH) {
    throw new HttpError(414, `The file path is longer than ${MAX_PATH} characters`, 'Use a shorter path.');
  }
  return {
    tenantId,
    path,
    pathTransformation,
    queryTransformation: url.searchParams.get('tr') ?? '',
    attachment: url.searchParams.get('ik-attachment') === 'true',
  };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `Malformed percent-encoding in "${segment}"`, 'Encode the path with encodeURIComponent.');
  }
}
