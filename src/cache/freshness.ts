/**
 * How long what an origin said about a file may be reused without asking again: the origin's own Cache-Control
 * (s-maxage, max-age, no-cache, no-store, private) or Expires, held within the origin's configured bounds, and how
 * long after that a stale answer may still serve — while it is revalidated in the background
 * (stale-while-revalidate), or while the origin fails (stale-if-error). All in seconds.
 */
export interface Freshness {
  freshFor: number;
  staleWhileRevalidate: number;
  staleIfError: number;
}

export interface TtlBounds {
  /** Reuse at least this long, whatever the origin says: it shields an origin that forbids caching. */
  min: number;
  /** Never longer than this: the bound on how long a changed original can go unnoticed. */
  max: number;
}

export const DEFAULT_TTL_BOUNDS: TtlBounds = { min: 60, max: 86_400 };
/** An origin that says nothing about caching is asked again after an hour (within its bounds). */
const UNSPECIFIED_TTL = 3_600;
/** Stale answers serve for a day past their freshness unless the origin says otherwise, a week at most. */
const DEFAULT_STALE = 86_400;
const MAX_STALE = 7 * 86_400;

export function freshnessOf(headers: Headers, bounds: TtlBounds, now = Date.now()): Freshness {
  const directives = cacheControl(headers.get('Cache-Control'));
  const seconds = (name: string) => {
    const value = directives.get(name);
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
  };
  let ttl: number | undefined;
  if (directives.has('no-store') || directives.has('no-cache') || directives.has('private')) ttl = 0;
  else ttl = seconds('s-maxage') ?? seconds('max-age') ?? expiresIn(headers, now);
  const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
  return {
    freshFor: clamp(ttl ?? UNSPECIFIED_TTL, bounds.min, bounds.max),
    staleWhileRevalidate: clamp(seconds('stale-while-revalidate') ?? DEFAULT_STALE, 0, MAX_STALE),
    staleIfError: clamp(seconds('stale-if-error') ?? DEFAULT_STALE, 0, MAX_STALE),
  };
}

/** Directive names (lower case) to their values ('' for a bare directive). */
function cacheControl(header: string | null): Map<string, string> {
  const directives = new Map<string, string>();
  for (const part of (header ?? '').split(',')) {
    const [name, value] = part.split('=', 2) as [string, string | undefined];
    const key = name.trim().toLowerCase();
    if (key) directives.set(key, (value ?? '').trim().replace(/^"|"$/g, ''));
  }
  return directives;
}

/** Seconds until `Expires`, measured against the origin's own `Date` when it sent one (clock skew). */
function expiresIn(headers: Headers, now: number): number | undefined {
  const expires = headers.get('Expires');
  if (expires === null) return undefined;
  const at = Date.parse(expires);
  // An invalid Expires (often "0" or "-1") means already expired.
  if (Number.isNaN(at)) return 0;
  const date = Date.parse(headers.get('Date') ?? '');
  return Math.max(0, Math.floor((at - (Number.isNaN(date) ? now : date)) / 1000));
}
