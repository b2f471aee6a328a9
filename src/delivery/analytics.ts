/**
 * A delivery's analytics event (insight/record.ts), made from what the stages learned and the answer sent:
 * recorded for every answer of a known tenant — hits, misses, errors and refusals alike.
 */
import type { CacheTier, RefusalReason } from '../insight/event';
import { MAX_TEXT } from '../insight/event';
import { referrerHost } from '../insight/client';
import { recordDelivery } from '../insight/record';
import type { ParsedContext, RequestContext, TenantContext, TransformedContext } from './context';
import type { CacheStatus } from './timing';

/** Output formats analytics name; any other Content-Type counts as `other`, so rollups keep a bounded set. */
const FORMATS = new Set(['jpeg', 'png', 'webp', 'avif', 'gif', 'svg', 'heic', 'heif', 'tiff', 'bmp', 'jxl', 'ico', 'mp4', 'webm', 'quicktime', 'json', 'pdf']);
const SUBTYPES: Record<string, string> = { 'svg+xml': 'svg', 'x-icon': 'ico', 'vnd.microsoft.icon': 'ico', 'vnd.apple.mpegurl': 'hls', 'dash+xml': 'dash' };

const TIERS: Record<CacheStatus, CacheTier> = {
  'hit-edge': 'edge',
  revalidated: 'edge',
  'hit-store': 'r2',
  nearest: 'r2',
  miss: 'miss',
  bypass: 'none',
};

export function recordAnswer(ctx: RequestContext, response: Response, bytes: number, refusal: RefusalReason): void {
  const { tenant } = ctx as Partial<TenantContext>;
  if (!tenant) return;
  const { path, output } = ctx as Partial<TransformedContext & ParsedContext>;
  const failed = response.status >= 400;
  const headers = ctx.request.headers;
  recordDelivery(ctx.env, ctx.exec, tenant.id, {
    at: Date.now(),
    path: (path ?? ctx.url.path).slice(0, MAX_TEXT),
    status: response.status,
    cache: failed ? 'none' : TIERS[ctx.timing.cache],
    format: failed ? '' : formatOf(response.headers.get('Content-Type')),
    bytes,
    referrer: referrerHost(headers.get('Referer')),
    clientIp: headers.get('CF-Connecting-IP')?.trim() ?? '',
    ipPrivacy: tenant.settings.analytics.ipPrivacy,
    country: (ctx.request.cf?.country as string | undefined) ?? '',
    userAgent: headers.get('User-Agent') ?? '',
    cpuMs: ctx.timing.cpuMs(),
    // The original's own bytes (an etag of its own) were no transformation.
    transformed: !failed && output !== undefined && output.etag === undefined && ctx.timing.cache === 'miss',
    refusal,
  });
}

function formatOf(contentType: string | null): string {
  if (!contentType) return '';
  const subtype = contentType.split(';')[0]!.trim().toLowerCase().split('/')[1] ?? '';
  const format = SUBTYPES[subtype] ?? subtype;
  return FORMATS.has(format) || format === 'hls' || format === 'dash' ? format : 'other';
}
