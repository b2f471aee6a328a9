/**
 * The bench's way into one Analytics object: it makes synthetic events here (nothing large crosses HTTP) and
 * runs the object's queries. Node measures the wall time of each request.
 *
 *   POST /seed?from=<ms>&to=<ms>&count=N&batch=B   N events spread evenly over [from, to), sent B per ingest call
 *   GET  /series?from=&to=&source=rollup|raw        every metric per hour, from rollups or from raw events
 *   GET  /top?from=&to=&dimension=                  top 10 of a dimension
 *   GET  /noop                                      the request alone, for the HTTP overhead
 */
import type { DeliveryEvent, Dimension } from '../../src/insight/event';

export { Analytics } from '../../src/durable/analytics';

interface BenchEnv {
  ANALYTICS: DurableObjectNamespace<import('../../src/durable/analytics').Analytics>;
}

const FORMATS = ['jpeg', 'webp', 'avif', 'png', 'gif'];
const BROWSERS = [
  ['Chrome', 'Windows', 'desktop'],
  ['Safari', 'iOS', 'mobile'],
  ['Firefox', 'Linux', 'desktop'],
  ['Chrome', 'Android', 'mobile'],
  ['Safari', 'macOS', 'desktop'],
] as const;
const COUNTRIES = ['US', 'DE', 'FR', 'GB', 'JP', 'BR', 'IN', 'NL'];

/** A busy tenant's mix: mostly hits of a few thousand paths, some misses, 404s and refusals, many clients. */
function syntheticEvent(at: number, i: number): DeliveryEvent {
  const roll = i % 100;
  const status = roll < 2 ? 404 : roll < 3 ? 403 : 200;
  const [browser, os, device] = BROWSERS[i % BROWSERS.length]!;
  return {
    at,
    path: `products/${(i * 7919) % 5000}.jpg`,
    status,
    cache: status !== 200 ? 'none' : roll < 10 ? 'miss' : roll < 60 ? 'edge' : 'r2',
    format: status === 200 ? FORMATS[i % FORMATS.length]! : '',
    bytes: status === 200 ? 20_000 + (i % 50_000) : 0,
    referrer: `site${i % 300}.example`,
    ip: `198.${(i >> 16) & 255}.${(i >> 8) & 255}.0/24`,
    country: COUNTRIES[i % COUNTRIES.length]!,
    userAgent: `Mozilla/5.0 (${os}) ${browser}/${100 + (i % 40)}`,
    browser,
    os,
    device,
    cpuMs: roll < 10 ? 40 : 0,
    transformed: roll < 10,
    refusal: status === 403 ? 'access' : '',
  };
}

export default {
  async fetch(request: Request, env: BenchEnv): Promise<Response> {
    const url = new URL(request.url);
    const q = (name: string) => Number(url.searchParams.get(name));
    const analytics = env.ANALYTICS.get(env.ANALYTICS.idFromName('bench'));
    if (url.pathname === '/seed') {
      const [from, to, count, batch] = [q('from'), q('to'), q('count'), q('batch')];
      const step = (to - from) / count;
      let stored = 0;
      for (let start = 0; start < count; start += batch) {
        const events = Array.from({ length: Math.min(batch, count - start) }, (_, k) => syntheticEvent(from + Math.floor((start + k) * step), start + k));
        stored += (await analytics.ingest(events)).stored;
      }
      return Response.json({ stored });
    }
    if (url.pathname === '/series') {
      const query = { from: q('from'), to: q('to'), granularity: 'hour' as const };
      const points = url.searchParams.get('source') === 'raw' ? await analytics.eventSeries(query) : await analytics.series(query);
      return Response.json({ points: points.length, requests: points.reduce((sum, p) => sum + p.requests, 0) });
    }
    if (url.pathname === '/top') {
      const top = await analytics.top({ from: q('from'), to: q('to'), dimension: url.searchParams.get('dimension') as Dimension, limit: 10 });
      return Response.json({ total: top.total, first: top.entries[0] });
    }
    return Response.json({});
  },
};
