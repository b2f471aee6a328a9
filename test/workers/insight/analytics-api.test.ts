/**
 * `/v1/accounts/analytics/timeseries` and `/top`: shapes, filters, CSV, every bad parameter a 400 naming it,
 * the audit-or-settings permission, and one tenant never seeing another's analytics.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyticsOf } from '../../../src/insight/analytics-client';
import { HOUR_MS, hourOf } from '../../../src/insight/event';
import { callApi, newTenantWithKey, type TenantWithKey } from '../api-helpers';
import { event } from './events';

let a: TenantWithKey;
let b: TenantWithKey;
/** The start of the hour two hours ago: the data sits in that hour and the next. */
const hour = (hourOf(Date.now()) - 2) * HOUR_MS;
const from = new Date(hour).toISOString();
const to = new Date(hour + 2 * HOUR_MS).toISOString();

beforeAll(async () => {
  a = await newTenantWithKey();
  b = await newTenantWithKey();
  await analyticsOf(env, a.tenantId).ingest([
    event({ at: hour, bytes: 100, referrer: 'shop.example' }),
    event({ at: hour + 1, bytes: 200, referrer: 'shop.example', format: 'webp' }),
    event({ at: hour + 2, status: 404, bytes: 0, format: '', cache: 'none', referrer: '=HYPERLINK("x")' }),
    event({ at: hour + HOUR_MS, bytes: 50, referrer: 'blog, "quoted"' }),
  ]);
});

const get = (tenant: TenantWithKey, path: string, headers: Record<string, string> = {}) => callApi({ ...tenant.auth, ...headers }, 'GET', path);

async function expect400(path: string, field: string) {
  const response = await get(a, path);
  expect(response.status, path).toBe(400);
  expect(((await response.json()) as { message: string }).message).toContain(`"${field}"`);
}

describe('analytics API', () => {
  it('answers every metric per hour over the range', async () => {
    const response = await get(a, `/v1/accounts/analytics/timeseries?from=${from}&to=${to}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { granularity: string; metrics: string[]; points: Record<string, unknown>[] };
    expect(body.granularity).toBe('hour');
    expect(body.metrics).toEqual(['requests', 'bandwidth', 'errors', 'refusals', 'hits', 'misses', 'transformations', 'cpuMs']);
    expect(body.points).toEqual([
      { start: from, requests: 3, bandwidth: 300, errors: 1, refusals: 0, hits: 2, misses: 0, transformations: 0, cpuMs: 0 },
      { start: new Date(hour + HOUR_MS).toISOString(), requests: 1, bandwidth: 50, errors: 0, refusals: 0, hits: 1, misses: 0, transformations: 0, cpuMs: 0 },
    ]);
  });

  it('picks metrics, sums days and filters by status class and output format', async () => {
    const day = (await (await get(a, `/v1/accounts/analytics/timeseries?metric=requests,bandwidth&granularity=day&from=${from}&to=${to}`)).json()) as { points: Record<string, unknown>[] };
    const total = day.points.reduce((sum, p) => sum + (p.requests as number), 0);
    expect(total).toBe(4);
    expect(Object.keys(day.points[0]!)).toEqual(['start', 'requests', 'bandwidth']);
    expect(new Date(day.points[0]!.start as string).getUTCHours()).toBe(0);
    const errors = (await (await get(a, `/v1/accounts/analytics/timeseries?metric=requests&statusClass=4xx&from=${from}&to=${to}`)).json()) as { points: { requests: number }[] };
    expect(errors.points.map((p) => p.requests)).toEqual([1, 0]);
    const webp = (await (await get(a, `/v1/accounts/analytics/timeseries?metric=bandwidth&outputFormat=webp&from=${from}&to=${to}`)).json()) as { points: { bandwidth: number }[] };
    expect(webp.points.map((p) => p.bandwidth)).toEqual([200, 0]);
  });

  it('answers top-N over the range, hour by hour, and by prefix', async () => {
    const top = (await (await get(a, `/v1/accounts/analytics/top?dimension=referrer&limit=1&from=${from}&to=${to}`)).json()) as Record<string, unknown>;
    expect(top).toEqual({ dimension: 'referrer', from, to, total: 4, other: 2, entries: [{ value: 'shop.example', count: 2, error: 0 }] });
    const hourly = (await (await get(a, `/v1/accounts/analytics/top?dimension=status&granularity=hour&from=${from}&to=${to}`)).json()) as { hours: { start: string; entries: { value: string }[] }[] };
    expect(hourly.hours.map((h) => [h.start, h.entries.map((e) => e.value)])).toEqual([
      [from, ['200', '404']],
      [new Date(hour + HOUR_MS).toISOString(), ['200']],
    ]);
    const prefixed = (await (await get(a, `/v1/accounts/analytics/top?dimension=referrer&prefix=blog&from=${from}&to=${to}`)).json()) as { entries: { value: string }[] };
    expect(prefixed.entries.map((e) => e.value)).toEqual(['blog, "quoted"']);
  });

  it('exports CSV, quoted, with formulas defused', async () => {
    const response = await get(a, `/v1/accounts/analytics/top?dimension=referrer&format=csv&from=${from}&to=${to}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('Content-Disposition')).toBe('attachment; filename="analytics-top.csv"');
    expect((await response.text()).split('\n')).toEqual([
      'value,count,error',
      'shop.example,2,0',
      '"\'=HYPERLINK(""x"")",1,0',
      '"blog, ""quoted""",1,0',
      '',
    ]);
    const series = await get(a, `/v1/accounts/analytics/timeseries?metric=requests,errors&from=${from}&to=${to}`, { Accept: 'text/csv' });
    expect(series.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect((await series.text()).split('\n')).toEqual(['start,requests,errors', `${from},3,1`, `${new Date(hour + HOUR_MS).toISOString()},1,0`, '']);
  });

  it('refuses every bad parameter with a 400 naming it', async () => {
    await expect400('/v1/accounts/analytics/timeseries?metric=visits', 'metric');
    await expect400('/v1/accounts/analytics/timeseries?granularity=week', 'granularity');
    await expect400('/v1/accounts/analytics/timeseries?from=yesterday', 'from');
    await expect400(`/v1/accounts/analytics/timeseries?from=${to}&to=${from}`, 'to');
    await expect400('/v1/accounts/analytics/timeseries?from=2025-01-01T00:00:00Z&to=2025-04-02T00:00:00Z', 'from');
    await expect400('/v1/accounts/analytics/timeseries?statusClass=6xx', 'statusClass');
    await expect400('/v1/accounts/analytics/timeseries?outputFormat=image/png', 'outputFormat');
    await expect400('/v1/accounts/analytics/timeseries?metrics=requests', 'metrics');
    await expect400('/v1/accounts/analytics/timeseries?format=xml', 'format');
    await expect400('/v1/accounts/analytics/top', 'dimension');
    await expect400('/v1/accounts/analytics/top?dimension=cookie', 'dimension');
    await expect400('/v1/accounts/analytics/top?dimension=path&limit=0', 'limit');
    await expect400('/v1/accounts/analytics/top?dimension=path&limit=1001', 'limit');
    await expect400('/v1/accounts/analytics/top?dimension=path&granularity=day', 'granularity');
    await expect400('/v1/accounts/analytics/top?dimension=path&statusClass=4xx', 'statusClass');
  });

  it('needs audit or settings read access', async () => {
    const none = await newTenantWithKey({ files: 'read_write', settings: 'none', audit: 'none' });
    expect((await get(none, '/v1/accounts/analytics/timeseries')).status).toBe(403);
    expect((await get(none, '/v1/accounts/analytics/top?dimension=ip')).status).toBe(403);
    const auditor = await newTenantWithKey({ files: 'none', settings: 'none', audit: 'read' });
    expect((await get(auditor, '/v1/accounts/analytics/timeseries')).status).toBe(200);
    const settings = await newTenantWithKey({ files: 'none', settings: 'read', audit: 'none' });
    expect((await get(settings, '/v1/accounts/analytics/top?dimension=ip')).status).toBe(200);
  });

  it('shows a tenant only its own analytics', async () => {
    const series = (await (await get(b, `/v1/accounts/analytics/timeseries?metric=requests&from=${from}&to=${to}`)).json()) as { points: { requests: number }[] };
    expect(series.points.map((p) => p.requests)).toEqual([0, 0]);
    const top = (await (await get(b, `/v1/accounts/analytics/top?dimension=referrer&from=${from}&to=${to}`)).json()) as { total: number; entries: unknown[] };
    expect(top).toMatchObject({ total: 0, entries: [] });
  });
});
