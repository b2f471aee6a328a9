/**
 * The Analytics object on its own: rollups and top-N from ingested batches, the bound on top-N under a scan of
 * random paths, and retention by alarm.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { analyticsOf } from '../../../src/insight/analytics-client';
import { DIMENSIONS, HOUR_MS, hourOf } from '../../../src/insight/event';
import { RAW_RETENTION_MS, ROLLUP_RETENTION_MS, TOP_SLOTS } from '../../../src/insight/schema';
import { newTenant } from '../helpers';
import { event } from './events';

const stubOf = (tenantId: string) => env.ANALYTICS.get(env.ANALYTICS.idFromName(tenantId));
const rows = (tenantId: string, table: string) =>
  runInDurableObject(stubOf(tenantId), (_, state) => state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).one().n);

describe('Analytics object', () => {
  it('sums every metric per hour, by status class and format', async () => {
    const tenant = await newTenant();
    const hour = (hourOf(Date.now()) - 2) * HOUR_MS;
    await analyticsOf(env, tenant).ingest([
      event({ at: hour + 1, bytes: 100 }),
      event({ at: hour + 2, bytes: 300, cache: 'miss', transformed: true, cpuMs: 12.5, format: 'webp' }),
      event({ at: hour + 3, status: 404, cache: 'none', bytes: 0, format: '' }),
      event({ at: hour + 4, status: 403, cache: 'none', bytes: 0, format: '', refusal: 'access' }),
      event({ at: hour + HOUR_MS + 5, bytes: 50, cache: 'r2' }),
    ]);
    const series = await analyticsOf(env, tenant).series({ from: hour, to: hour + 3 * HOUR_MS, granularity: 'hour' });
    expect(series.map((p) => p.start)).toEqual([hour, hour + HOUR_MS, hour + 2 * HOUR_MS]);
    expect(series[0]).toEqual({ start: hour, requests: 4, bandwidth: 400, errors: 1, refusals: 1, hits: 1, misses: 1, transformations: 1, cpuMs: 12.5 });
    expect(series[1]).toMatchObject({ requests: 1, bandwidth: 50, hits: 1, misses: 0 });
    expect(series[2]!.requests).toBe(0);

    const webp = await analyticsOf(env, tenant).series({ from: hour, to: hour + HOUR_MS, granularity: 'hour', format: 'webp' });
    expect(webp[0]).toMatchObject({ requests: 1, bandwidth: 300 });
    const clientErrors = await analyticsOf(env, tenant).series({ from: hour, to: hour + 2 * HOUR_MS, granularity: 'day', statusClass: '4xx' });
    expect(clientErrors.reduce((sum, p) => sum + p.requests, 0)).toBe(2);
    // The rollups agree with the raw events they summarise.
    expect(await analyticsOf(env, tenant).eventSeries({ from: hour, to: hour + 3 * HOUR_MS, granularity: 'hour' })).toEqual(series);
  });

  it('answers top-N over a range and per hour, with what is left as other', async () => {
    const tenant = await newTenant();
    const hour = (hourOf(Date.now()) - 1) * HOUR_MS;
    const events = [
      ...Array.from({ length: 5 }, () => event({ at: hour, referrer: 'a.example' })),
      ...Array.from({ length: 3 }, () => event({ at: hour + HOUR_MS, referrer: 'b.example' })),
      event({ at: hour + HOUR_MS, referrer: 'a.example' }),
      event({ at: hour + HOUR_MS, referrer: '' }),
    ];
    await analyticsOf(env, tenant).ingest(events);
    const top = await analyticsOf(env, tenant).top({ dimension: 'referrer', from: hour, to: hour + 2 * HOUR_MS, limit: 2 });
    expect(top).toEqual({ total: 10, entries: [{ value: 'a.example', count: 6, error: 0 }, { value: 'b.example', count: 3, error: 0 }], other: 1 });
    const prefixed = await analyticsOf(env, tenant).top({ dimension: 'referrer', from: hour, to: hour + 2 * HOUR_MS, limit: 10, prefix: 'b.' });
    expect(prefixed.entries.map((e) => e.value)).toEqual(['b.example']);
    const hourly = await analyticsOf(env, tenant).topByHour({ dimension: 'referrer', from: hour, to: hour + 2 * HOUR_MS, limit: 1 });
    expect(hourly).toEqual([
      { start: hour, total: 5, entries: [{ value: 'a.example', count: 5, error: 0 }], other: 0 },
      { start: hour + HOUR_MS, total: 5, entries: [{ value: 'b.example', count: 3, error: 0 }], other: 2 },
    ]);
  });

  it('keeps at most TOP_SLOTS values per dimension and hour under a scan of random paths, and still finds the heavy one', async () => {
    const tenant = await newTenant();
    const hour = hourOf(Date.now()) * HOUR_MS;
    for (let batch = 0; batch < 10; batch++) {
      const events = Array.from({ length: 200 }, (_, i) =>
        event({ at: hour, path: i % 4 === 0 ? 'popular.jpg' : `scan/${crypto.randomUUID()}.jpg`, ip: `198.51.${batch}.${i}` }),
      );
      await analyticsOf(env, tenant).ingest(events);
    }
    const perDimension = await runInDurableObject(stubOf(tenant), (_, state) =>
      state.storage.sql.exec<{ dimension: string; n: number }>('SELECT dimension, COUNT(*) AS n FROM top GROUP BY dimension').toArray(),
    );
    expect(Object.fromEntries(perDimension.map((r) => [r.dimension, r.n]))).toMatchObject({ path: TOP_SLOTS, ip: TOP_SLOTS });
    expect(perDimension.every((r) => r.n <= TOP_SLOTS)).toBe(true);
    const top = await analyticsOf(env, tenant).top({ dimension: 'path', from: hour, to: hour + HOUR_MS, limit: 1 });
    expect(top.total).toBe(2000);
    expect(top.entries[0]!.value).toBe('popular.jpg');
    // 500 true requests; the counter may be over by at most its error.
    expect(top.entries[0]!.count - top.entries[0]!.error).toBeLessThanOrEqual(500);
    expect(top.entries[0]!.count).toBeGreaterThanOrEqual(500);
  });

  it('the alarm drops raw events after 48 hours and rollups after 90 days', async () => {
    const tenant = await newTenant();
    const now = Date.now();
    await analyticsOf(env, tenant).ingest([event({ at: now - 1000 }), event({ at: now - RAW_RETENTION_MS + 60_000 })]);
    // Rows as they would stand once time has moved on: written directly, dated past each retention.
    await runInDurableObject(stubOf(tenant), (_, state) => {
      state.storage.sql.exec("INSERT INTO events SELECT at - ?, path, status, cache, format, bytes, referrer, ip, country, user_agent, browser, os, device, cpu_ms, transformed, refusal FROM events LIMIT 1", RAW_RETENTION_MS);
      const old = hourOf(now - ROLLUP_RETENTION_MS) - 1;
      state.storage.sql.exec('INSERT INTO hourly VALUES (?, ?, ?, 1, 1, 0, 0, 1, 0, 0, 0)', old, '2xx', 'jpeg');
      for (const d of DIMENSIONS) state.storage.sql.exec('INSERT INTO top (dimension, hour, value, count, error) VALUES (?, ?, ?, 1, 0)', d, old, 'x');
    });
    expect(await rows(tenant, 'events')).toBe(3);
    const hourlyBefore = await rows(tenant, 'hourly');
    const topBefore = await rows(tenant, 'top');
    expect(await runDurableObjectAlarm(stubOf(tenant))).toBe(true);
    expect(await rows(tenant, 'events')).toBe(2);
    expect(await rows(tenant, 'hourly')).toBe(hourlyBefore - 1);
    expect(await rows(tenant, 'top')).toBe(topBefore - DIMENSIONS.length);
    // Still data: the alarm comes back.
    expect(await runInDurableObject(stubOf(tenant), (_, state) => state.storage.getAlarm())).not.toBeNull();
  });

  it('drops events older than the rollups keep, and keeps raw rows only within their retention', async () => {
    const tenant = await newTenant();
    const now = Date.now();
    const { stored } = await analyticsOf(env, tenant).ingest([
      event({ at: now - ROLLUP_RETENTION_MS - HOUR_MS }),
      event({ at: now - RAW_RETENTION_MS - HOUR_MS }),
      event({ at: now + 2 * HOUR_MS }),
      event({ at: now }),
    ]);
    expect(stored).toBe(2);
    expect(await rows(tenant, 'events')).toBe(1);
  });
});
