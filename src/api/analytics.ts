/**
 * The tenant's delivery analytics (src/durable/analytics.ts), for keys with `audit` or `settings` read:
 *
 *   GET /v1/accounts/analytics/timeseries?metric=&from=&to=&granularity=hour|day&statusClass=&outputFormat=
 *     → {granularity, from, to, metrics, points: [{start, <metric>: n, …}]}
 *   GET /v1/accounts/analytics/top?dimension=&from=&to=&limit=&prefix=&granularity=hour
 *     → {dimension, from, to, total, other, entries: [{value, count, error}]}, or with granularity=hour
 *       {dimension, from, to, hours: [{start, total, other, entries}]}
 *
 * `from`/`to` are ISO 8601 (default: the 7 days up to now), at most 90 days apart. `format=csv` or
 * `Accept: text/csv` answers CSV instead. Every unknown or bad parameter is a 400 naming it.
 */
import type { IRequest, RouterType } from 'itty-router';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { analyticsOf, DIMENSIONS, type Granularity, MAX_RANGE_MS, MAX_TOP_LIMIT, METRICS, type Metric, STATUS_CLASSES } from '../insight/analytics-client';
import { MAX_TEXT } from '../insight/event';
import { holds } from '../security/keys';
import { badField, decimal, integer, isoTime, oneOf, optional, text } from '../validate/fields';
import { csvResponse, wantsCsv } from './csv';
import type { ApiContext } from './context';
import { json } from './respond';
import { tenantRoute } from './tenant-route';

const DEFAULT_RANGE_MS = 7 * 86_400_000;
const GRANULARITIES: readonly Granularity[] = ['hour', 'day'];

/** Analytics are account information (like usage) and what an audit looks at: either read access will do. */
function requireInsight(ctx: ApiContext): void {
  if (holds(ctx.permissions, 'audit', 'read') || holds(ctx.permissions, 'settings', 'read')) return;
  throw new HttpError(403, 'Analytics need read access to audit or settings.', 'Use a key (or role) with audit or settings set to "read" or more.');
}

export function registerAnalyticsRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get(
    '/v1/accounts/analytics/timeseries',
    tenantRoute(async (ctx) => {
      requireInsight(ctx);
      const query = readQuery(ctx.request, ['metric', 'from', 'to', 'granularity', 'statusClass', 'outputFormat', 'format']);
      const metrics = metricList(query.get('metric'));
      const { from, to } = range(query);
      const granularity = oneOf(GRANULARITIES)(query.get('granularity') ?? 'hour', 'granularity');
      const statusClass = optional(oneOf(STATUS_CLASSES))(query.get('statusClass') ?? undefined, 'statusClass');
      const outputFormat = optional(text('a format name such as jpeg, webp or avif', { pattern: /^[a-z0-9]{1,16}$/ }))(query.get('outputFormat') ?? undefined, 'outputFormat');
      const csv = wantsCsv(ctx.request, query);
      const series = await analyticsOf(ctx.env, ctx.tenant.id).series({ from, to, granularity, statusClass, format: outputFormat });
      const points = series.map((p) => ({ start: new Date(p.start).toISOString(), ...Object.fromEntries(metrics.map((m) => [m, p[m]])) }));
      if (csv) return csvResponse('analytics-timeseries.csv', ['start', ...metrics], points);
      return json({ granularity, from: iso(from), to: iso(to), metrics, points });
    }),
  );

  router.get(
    '/v1/accounts/analytics/top',
    tenantRoute(async (ctx) => {
      requireInsight(ctx);
      const query = readQuery(ctx.request, ['dimension', 'from', 'to', 'limit', 'prefix', 'granularity', 'format']);
      const dimension = oneOf(DIMENSIONS)(query.get('dimension') ?? undefined, 'dimension');
      const { from, to } = range(query);
      const limit = integer(1, MAX_TOP_LIMIT)(decimal(query.get('limit') ?? '10'), 'limit');
      const prefix = optional(text(`text of at most ${MAX_TEXT} characters`, { min: 1, max: MAX_TEXT }))(query.get('prefix') ?? undefined, 'prefix');
      const hourly = optional(oneOf(['hour'] as const))(query.get('granularity') ?? undefined, 'granularity') === 'hour';
      const csv = wantsCsv(ctx.request, query);
      const analytics = analyticsOf(ctx.env, ctx.tenant.id);
      if (hourly) {
        const hours = (await analytics.topByHour({ dimension, from, to, limit, prefix })).map((h) => ({ ...h, start: iso(h.start) }));
        if (csv) return csvResponse('analytics-top.csv', ['start', 'value', 'count', 'error'], hours.flatMap((h) => h.entries.map((e) => ({ start: h.start, ...e }))));
        return json({ dimension, from: iso(from), to: iso(to), hours });
      }
      const top = await analytics.top({ dimension, from, to, limit, prefix });
      if (csv) return csvResponse('analytics-top.csv', ['value', 'count', 'error'], top.entries);
      return json({ dimension, from: iso(from), to: iso(to), ...top });
    }),
  );
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The query, with any parameter not in `known` refused (a misspelt filter must not silently widen the answer). */
function readQuery(request: Request, known: string[]): URLSearchParams {
  const query = new URL(request.url).searchParams;
  for (const name of query.keys()) if (!known.includes(name)) throw badField(name, `one of the parameters ${known.join(', ')}`);
  return query;
}

function metricList(value: string | null): Metric[] {
  if (value === null || value === '' || value === 'all') return [...METRICS];
  const names = value.split(',');
  for (const name of names) if (!(METRICS as readonly string[]).includes(name)) throw badField('metric', `all, or one or more (comma-separated) of ${METRICS.join(', ')}`);
  return [...new Set(names)] as Metric[];
}

/** `from`/`to` (default: the 7 days up to now); `to` after `from`, at most 90 days apart. */
function range(query: URLSearchParams): { from: number; to: number } {
  const to = query.has('to') ? isoTime(query.get('to'), 'to') : Date.now();
  const from = query.has('from') ? isoTime(query.get('from'), 'from') : to - DEFAULT_RANGE_MS;
  if (to <= from) throw badField('to', 'a time after from');
  if (to - from > MAX_RANGE_MS) throw badField('from', 'at most 90 days before to');
  return { from, to };
}
