import { describe, expect, it } from 'vitest';
import { DEFAULT_TTL_BOUNDS, freshnessOf } from '../../../src/cache/freshness';

const of = (headers: Record<string, string>, bounds = { min: 0, max: 86_400 }) => freshnessOf(new Headers(headers), bounds, Date.UTC(2026, 0, 1));

describe('freshnessOf', () => {
  it('reads s-maxage before max-age', () => {
    expect(of({ 'Cache-Control': 'public, max-age=600, s-maxage=120' }).freshFor).toBe(120);
    expect(of({ 'Cache-Control': 'public, max-age=600' }).freshFor).toBe(600);
  });

  it('treats no-cache, no-store and private as zero, then holds the origin within its minimum', () => {
    for (const value of ['no-cache', 'no-store', 'private, max-age=600']) {
      expect(of({ 'Cache-Control': value }).freshFor).toBe(0);
      expect(of({ 'Cache-Control': value }, DEFAULT_TTL_BOUNDS).freshFor).toBe(60);
    }
  });

  it('caps what the origin asks for at the maximum', () => {
    expect(of({ 'Cache-Control': 'max-age=31536000' }, { min: 0, max: 3_600 }).freshFor).toBe(3_600);
  });

  it('reads Expires against the origin\'s Date, and an invalid Expires as expired', () => {
    expect(of({ Expires: 'Thu, 01 Jan 2026 00:10:00 GMT', Date: 'Thu, 01 Jan 2026 00:05:00 GMT' }).freshFor).toBe(300);
    expect(of({ Expires: 'Thu, 01 Jan 2026 00:10:00 GMT' }).freshFor).toBe(600);
    expect(of({ Expires: '0' }).freshFor).toBe(0);
    expect(of({ Expires: 'Thu, 01 Jan 2026 00:10:00 GMT', 'Cache-Control': 'max-age=5' }).freshFor).toBe(5);
  });

  it('gives an origin that says nothing an hour, and takes its stale-while-revalidate and stale-if-error', () => {
    expect(of({})).toEqual({ freshFor: 3_600, staleWhileRevalidate: 86_400, staleIfError: 86_400 });
    expect(of({ 'Cache-Control': 'max-age=60, stale-while-revalidate=30, stale-if-error=999999999' })).toEqual({
      freshFor: 60,
      staleWhileRevalidate: 30,
      staleIfError: 7 * 86_400,
    });
  });
});
