/**
 * Byte ranges (RFC 9110 §14): one range of a GET gives 206 with `Content-Range`, a range that starts past the end
 * 416 (its `Content-Range` gives the size). Several ranges are answered whole (200), which the RFC allows and which
 * spares a multipart body; a malformed header, or an `If-Range` that no longer holds, is ignored the same way.
 */
import { type ByteRange } from '../http/byte-range';
import { HttpError } from '../http/errors';

export type RangeAnswer = { kind: 'whole' } | ({ kind: 'part' } & ByteRange) | { kind: 'unsatisfiable' };

const WHOLE: RangeAnswer = { kind: 'whole' };

/** What a Range header asks of a representation of `size` bytes. */
export function parseRange(header: string | null, size: number): RangeAnswer {
  if (!header) return WHOLE;
  const match = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!match) return WHOLE;
  const specs = match[1]!.split(',').map((s) => s.trim()).filter(Boolean);
  if (specs.length !== 1) return WHOLE;
  const spec = /^(\d*)-(\d*)$/.exec(specs[0]!);
  if (!spec || (spec[1] === '' && spec[2] === '')) return WHOLE;
  if (spec[1] === '') {
    // A suffix: the last N bytes.
    const suffix = Number(spec[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'part', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(spec[1]);
  if (spec[2] !== '' && Number(spec[2]) < start) return WHOLE;
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = spec[2] === '' ? size - 1 : Number(spec[2]);
  return { kind: 'part', start, end: Math.min(end, size - 1) };
}

/** The validators of what would be sent: its ETag (quoted) and Last-Modified. */
export interface Validators {
  etag: string | null;
  lastModified?: Date;
}

/**
 * `If-Range` holds when its entity tag is strongly equal to the current one, or its date equals Last-Modified
 * (to the second); when it does not, the Range is ignored and the whole representation goes out.
 */
export function ifRangeHolds(header: string | null, current: Validators): boolean {
  if (header === null) return true;
  const value = header.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return !value.startsWith('W/') && value === current.etag;
  const date = Date.parse(value);
  if (Number.isNaN(date) || !current.lastModified) return false;
  return Math.floor(date / 1000) === Math.floor(current.lastModified.getTime() / 1000);
}

/** The range a request asks for, once `If-Range` and the method are taken into account. Only GET has ranges. */
export function rangeOf(request: Request, size: number, current: Validators): RangeAnswer {
  if (request.method !== 'GET') return WHOLE;
  const header = request.headers.get('Range');
  if (!header || !ifRangeHolds(request.headers.get('If-Range'), current)) return WHOLE;
  return parseRange(header, size);
}

export const contentRange = (range: ByteRange, size: number) => `bytes ${range.start}-${range.end}/${size}`;

export function unsatisfiable(size: number): HttpError {
  return new HttpError(416, `The requested range is outside the file's ${size} bytes`, 'Ask for bytes from 0 to size - 1, or leave Range out.', {
    'Content-Range': `bytes */${size}`,
    'Accept-Ranges': 'bytes',
  });
}

/** The 206 answer for `range` of a representation of `size` bytes, whose `body` already holds just that range. */
export function partialResponse(body: ReadableStream | Uint8Array | null, headers: Headers, range: ByteRange, size: number): Response {
  headers.set('Content-Range', contentRange(range, size));
  headers.set('Content-Length', String(range.end - range.start + 1));
  return new Response(body, { status: 206, headers });
}
