import type { ImageFormat } from '../types';

/**
 * Why a probe failed:
 * - 'unsupported format': the magic bytes match none of the formats edgepix decodes.
 * - 'truncated': the data ends before the header does (a partial upload or a cut-short fetch).
 * - 'malformed': the header is all there but breaks the format's rules.
 */
export type ProbeReason = 'unsupported format' | 'truncated' | 'malformed';

/**
 * The only error `probe()` throws. Parsers read through bounds-checked helpers, so a bad header surfaces as a
 * ProbeError (a client error the caller can map to 4xx) rather than a RangeError/TypeError from a stray read.
 */
export class ProbeError extends Error {
  override readonly name = 'ProbeError';
  readonly reason: ProbeReason;
  /** Set by `probe()` once the format has been sniffed. */
  format?: ImageFormat;

  constructor(reason: ProbeReason, detail?: string) {
    super(detail ? `${reason}: ${detail}` : reason);
    this.reason = reason;
  }
}

export const malformed = (detail: string): ProbeError => new ProbeError('malformed', detail);

/**
 * What `read` returns, or `fallback` when the header it walks is cut short or broken (a ProbeError): for metadata
 * readers, to which a damaged optional part is simply not there.
 */
export function readOr<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof ProbeError) return fallback;
    throw e;
  }
}
