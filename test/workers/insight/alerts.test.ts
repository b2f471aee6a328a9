/**
 * Alerts end to end in the pool: the settings route, the evaluation the Analytics object runs over synthetic
 * rollups, the webhook events it leaves through the library's outbox (verified with the SDK), the mails in the
 * mail catcher, usage thresholds and the operator's quotas with their block on new transformations.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Analytics } from '../../../src/durable/analytics';
import type { Alert } from '../../../src/insight/alert-events';
import { type AlertState, SETTLE_MS } from '../../../src/insight/evaluate';
import { HOUR_MS } from '../../../src/insight/event';
import { WEEK_MS } from '../../../src/insight/anomaly';
import { libraryOf } from '../../../src/library/client';
import { utcDay } from '../../../src/library/store/usage';
import { fixtures } from '../../fixtures/registry';
import { ADMIN } from '../admin-helpers';
import { callApi, newTenantWithKey } from '../api-helpers';
import { fixtureBytes, get, ORIGIN } from '../helpers';
import { auditTrail, newLibraryTenant, sdkFor } from '../library-helpers';
import { servers, unique } from '../origin-servers';
import { lastMail, mailsTo, tenantWithOwner, uniqueEmail } from '../people-helpers';
import { eventsOf } from './helpers';

const analyticsStub = (tenantId: string) => env.ANALYTICS.get(env.ANALYTICS.idFromName(tenantId));
const libraryStub = (tenantId: string) => env.MEDIA_LIBRARY.get(env.MEDIA_LIBRARY.idFromName(tenantId));
const received = async (name: string) => (await (await fetch(`${servers.webFolder}/_hooks/${name}`)).json()) as { headers: Record<string, string>; body: string }[];

/** The hour an evaluation at `evalNow` judges last, and that moment: six minutes into the following hour. */
const judged = Math.floor((Date.now() - SETTLE_MS) / HOUR_MS) * HOUR_MS - HOUR_MS;
const evalNow = judged + HOUR_MS + SETTLE_MS + 60_000;

interface SeedHour {
  hour: number;
  requests: number;
  bandwidth?: number;
  errors?: number;
}

/** Writes hourly rollups (and top-N rows) into the tenant's Analytics object, as ingestion would have left them. */
async function seed(tenantId: string, hours: SeedHour[], top: { hour: number; dimension: string; value: string; count: number }[] = []): Promise<void> {
  await runInDurableObject(analyticsStub(tenantId), (_, state) => {
    for (const h of hours) {
      state.storage.sql.exec(
        'INSERT INTO hourly (hour, status_class, format, requests, bandwidth, errors, refusals, hits, misses, transformations, cpu_ms) VALUES (?, ?, ?, ?, ?, ?, 0, ?, 0, 0, 0)',
        h.hour / HOUR_MS, '2xx', 'jpeg', h.requests, h.bandwidth ?? h.requests * 1000, h.errors ?? 0, h.requests,
      );
    }
    for (const t of top) state.storage.sql.exec('INSERT INTO top VALUES (?, ?, ?, ?, 0)', t.hour / HOUR_MS, t.dimension, t.value, t.count);
  });
}

/** Five weeks of a steady 1000 requests an hour (±5%, every hour different), up to and including the judged hour. */
function steadyWeeks(overrides: Map<number, number> = new Map()): SeedHour[] {
  const hours: SeedHour[] = [];
  for (let t = judged - 5 * WEEK_MS; t <= judged; t += HOUR_MS) {
    hours.push({ hour: t, requests: overrides.get(t) ?? 1000 + ((t / HOUR_MS) % 11) * 10 - 50 });
  }
  return hours;
}

const evaluate = (tenantId: string, now = evalNow) =>
  runInDurableObject(analyticsStub(tenantId), (object) => (object as Analytics).evaluateAlerts(now)) as Promise<Alert[]>;

async function withWebhook(auth: Record<string, string>): Promise<{ name: string; secret: string }> {
  const name = unique('alert-hook');
  const response = await callApi(auth, 'PUT', '/v1/accounts/webhook', { url: `${servers.webFolder}/hooks/${name}` });
  expect(response.status).toBe(200);
  return { name, secret: ((await response.json()) as { secret: string }).secret };
}

describe('GET/PUT /v1/accounts/alerts', () => {
  it('answers the defaults, takes a new setting, and names the field of a bad one', async () => {
    const t = await newTenantWithKey();
    const initial = await callApi(t.auth, 'GET', '/v1/accounts/alerts');
    expect(initial.status).toBe(200);
    expect(await initial.json()).toEqual({
      anomalies: { requests: true, bandwidth: true, errorRate: true, refusals: true, referrer: true, ip: true, path: true },
      usage: { bandwidthBytes: [], storageBytes: [], transformations: [], videoMinutes: [] },
      email: true,
      recipients: 'owners',
      quotas: { limits: { bandwidthBytes: null, storageBytes: null, transformations: null, videoMinutes: null }, over: 'alert', blocked: null },
    });

    const put = await callApi(t.auth, 'PUT', '/v1/accounts/alerts', {
      anomalies: { path: false },
      usage: { bandwidthBytes: [5e9, 1e9, 1e9] },
      recipients: ['Ops@Example.com'],
    });
    expect(put.status).toBe(200);
    const saved = (await put.json()) as Record<string, unknown>;
    expect(saved).toMatchObject({ anomalies: { path: false, ip: true }, usage: { bandwidthBytes: [1e9, 5e9], transformations: [] }, recipients: ['ops@example.com'] });
    expect(await (await callApi(t.auth, 'GET', '/v1/accounts/alerts')).json()).toEqual(saved);
    expect(await auditTrail(t)).toContain('alerts.update alerts');

    for (const [body, field] of [
      [{ usage: { bandwidthBytes: [10, -1] } }, 'usage.bandwidthBytes[1]'],
      [{ usage: { pixels: [1] } }, 'usage.pixels'],
      [{ anomalies: { requests: 'yes' } }, 'anomalies.requests'],
      [{ recipients: ['not an address'] }, 'recipients[0]'],
      [{ recipients: [] }, 'recipients'],
      [{ email: 1 }, 'email'],
      [{ thresholds: {} }, 'thresholds'],
    ] as const) {
      const bad = await callApi(t.auth, 'PUT', '/v1/accounts/alerts', body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(((await bad.json()) as { message: string }).message).toContain(`"${field}"`);
    }
  });

  it('needs settings read_write to change them', async () => {
    const t = await newTenantWithKey({ files: 'read', settings: 'read', audit: 'read', users: 'none' });
    expect((await callApi(t.auth, 'GET', '/v1/accounts/alerts')).status).toBe(200);
    expect((await callApi(t.auth, 'PUT', '/v1/accounts/alerts', { email: false })).status).toBe(403);
  });
});

describe('traffic anomaly alerts', () => {
  it('a flood from one IP: alert.traffic_anomaly webhooks with the numbers, and mail to the owners, once', async () => {
    const owner = await tenantWithOwner();
    const auth = { Authorization: `Basic ${btoa(`${owner.privateKey}:`)}` };
    const { name, secret } = await withWebhook(auth);
    expect((await callApi(auth, 'PUT', '/v1/accounts/alerts', { recipients: 'owners', anomalies: { path: false } })).status).toBe(200);
    // The judged hour has ten times its usual requests, 70% of them from one address. Another address that
    // shares its text as a prefix had half of every earlier hour: only the exact value is its history.
    await seed(owner.tenantId, steadyWeeks(new Map([[judged, 10_000]])), [
      { hour: judged, dimension: 'ip', value: '198.51.100.7', count: 7000 },
      ...Array.from({ length: 168 }, (_, i) => ({ hour: judged - (i + 1) * HOUR_MS, dimension: 'ip', value: '198.51.100.70', count: 500 })),
    ]);

    const sent = await evaluate(owner.tenantId);
    expect(sent.map((a) => a.data.kind)).toEqual(['requests.spike', 'ip.dominant']);
    // Judged once: evaluating again at the same time sends nothing.
    expect(await evaluate(owner.tenantId)).toEqual([]);

    await runDurableObjectAlarm(libraryStub(owner.tenantId));
    const hooks = await received(name);
    const events = hooks.map((h) => sdkFor(owner.privateKey).webhooks.unwrap(h.body, { headers: h.headers, key: secret }) as unknown as { type: string; data: Record<string, any> });
    expect(events.map((e) => e.type)).toEqual(['alert.traffic_anomaly', 'alert.traffic_anomaly']);
    const [spike, dominant] = events.map((e) => e.data);
    expect(spike).toMatchObject({
      kind: 'requests.spike',
      metric: 'requests',
      window: { start: new Date(judged).toISOString(), end: new Date(judged + HOUR_MS).toISOString() },
      observed: 10_000,
      weeksCompared: 4,
    });
    expect(spike!.baseline).toBeGreaterThan(900);
    expect(spike!.baseline).toBeLessThan(1100);
    expect(spike!.deviation).toBeGreaterThan(50);
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(spike!.breakdown.api).toBe(`${ORIGIN}/v1/accounts/analytics/timeseries?metric=requests&from=${iso(judged - WEEK_MS)}&to=${iso(judged + HOUR_MS)}&granularity=hour`);
    expect(dominant).toMatchObject({ kind: 'ip.dominant', value: '198.51.100.7', requests: 7000, observed: 0.7, baseline: 0 });
    // The links answer with the breakdown: the flood hour last in the series, the address first in the top.
    const series = (await (await callApi(auth, 'GET', spike!.breakdown.api.slice(ORIGIN.length))).json()) as { points: { start: string; requests: number }[] };
    expect(series.points.at(-1)!.requests).toBe(10_000);
    const top = (await (await callApi(auth, 'GET', dominant!.breakdown.api.slice(ORIGIN.length))).json()) as { entries: { value: string }[] };
    expect(top.entries[0]!.value).toBe('198.51.100.7');

    const mail = await lastMail(owner.email, /Requests spiked/);
    expect(mail.text).toContain('10000');
    expect(mail.text).toContain(`${ORIGIN}/app/analytics?from=${new Date(judged).toISOString()}`);
    await lastMail(owner.email, /One IP address dominates/);
  });

  it('stays quiet on a steady history, and with the kind switched off', async () => {
    const t = await newTenantWithKey();
    const email = uniqueEmail('ops');
    expect((await callApi(t.auth, 'PUT', '/v1/accounts/alerts', { recipients: [email], anomalies: { requests: false } })).status).toBe(200);
    await seed(t.tenantId, steadyWeeks(new Map([[judged, 10_000]])));
    // Bandwidth floods with the requests but stays under its volume floor (10 MB in the hour): nothing to send.
    expect(await evaluate(t.tenantId)).toEqual([]);
    expect(await mailsTo(email)).toEqual([]);
  });

  it('runs from the Analytics object\'s alarm, remembering what it judged', async () => {
    const t = await newTenantWithKey();
    await seed(t.tenantId, steadyWeeks());
    const stub = analyticsStub(t.tenantId);
    await runInDurableObject(stub, (_, state) => state.storage.setAlarm(Date.now() + HOUR_MS));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const state = await runInDurableObject(stub, (_, s) => s.storage.kv.get<AlertState>('alerts:state'));
    expect(state?.lastHour).toBeGreaterThanOrEqual(judged);
    expect(state?.usage.period).toBe(new Date().toISOString().slice(0, 7));
  });
});

describe('usage thresholds and quotas', () => {
  it('counts transformations, alerts once per threshold, and blocks new transformations over a blocking quota', async () => {
    const t = await newLibraryTenant();
    await t.client.files.upload({ file: new File([await fixtureBytes(fixtures.jpegBaseline.path)], 'q.jpg'), fileName: 'q.jpg', useUniqueFileName: false });
    expect((await get(`/${t.tenantId}/tr:w-50/q.jpg`)).status).toBe(200);
    const today = utcDay(Date.now());
    let usage = await libraryOf(env, t.tenantId).usage(today, today);
    for (let i = 0; i < 50 && usage.transformations === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      usage = await libraryOf(env, t.tenantId).usage(today, today);
    }
    expect(usage.transformations).toBe(1);

    const email = uniqueEmail('billing');
    expect((await callApi(t.auth, 'PUT', '/v1/accounts/alerts', { usage: { transformations: [1, 1000] }, recipients: [email] })).status).toBe(200);
    const quotas = await operator(`/admin/v1/tenants/${t.tenantId}/quotas`, 'PUT', { transformations: 1, over: 'block' });
    expect(quotas.status).toBe(200);
    expect(await quotas.json()).toMatchObject({ limits: { transformations: 1, bandwidthBytes: null }, over: 'block', blocked: { metric: 'transformations', limit: 1, observed: 1 } });

    // The variant already made keeps being served, so does the untransformed file; a new one is refused.
    expect((await get(`/${t.tenantId}/tr:w-50/q.jpg`)).status).toBe(200);
    expect((await get(`/${t.tenantId}/q.jpg`)).status).toBe(200);
    const refused = await get(`/${t.tenantId}/tr:w-60/q.jpg`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { message: string }).message).toContain('transformations quota');
    // Analytics records it as a refusal by quota.
    const events = await eventsOf(t.tenantId, 4);
    expect(events.filter((e) => e.status === 429).map((e) => e.refusal)).toEqual(['quota']);

    const sent = await evaluate(t.tenantId, Date.now());
    expect(sent.map((a) => [a.type, a.data.source, a.data.threshold])).toEqual([
      ['alert.usage_threshold', 'threshold', 1],
      ['alert.usage_threshold', 'quota', 1],
    ]);
    expect(sent[1]!.data).toMatchObject({ metric: 'transformations', observed: 1, over: 'block', period: today.slice(0, 7) });
    expect(await evaluate(t.tenantId, Date.now() + HOUR_MS)).toEqual([]);
    const mail = await lastMail(email, /Transformations reached its quota/);
    expect(mail.text).toContain('429');
    await lastMail(email, /Transformations passed 1$/);

    // The operator lifts the quota: the block goes with it.
    const lifted = await operator(`/admin/v1/tenants/${t.tenantId}/quotas`, 'PUT', { transformations: null });
    expect(await lifted.json()).toMatchObject({ limits: { transformations: null }, blocked: null });
    expect((await get(`/${t.tenantId}/tr:w-60/q.jpg`)).status).toBe(200);
    const tenant = (await (await operator(`/admin/v1/tenants/${t.tenantId}`, 'GET')).json()) as { quotas: unknown };
    expect(tenant.quotas).toEqual({ limits: { bandwidthBytes: null, storageBytes: null, transformations: null, videoMinutes: null }, over: 'block' });
  });

  it('names the field of a bad quota, and only the operator sets them', async () => {
    const t = await newTenantWithKey();
    const bad = await operator(`/admin/v1/tenants/${t.tenantId}/quotas`, 'PUT', { over: 'throttle' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('"over"');
    expect((await operator(`/admin/v1/tenants/${t.tenantId}/quotas`, 'PUT', { storageBytes: 0 })).status).toBe(400);
    expect((await callApi(t.auth, 'PUT', `/admin/v1/tenants/${t.tenantId}/quotas`, { storageBytes: 10 })).status).toBe(401);
    expect((await operator(`/admin/v1/tenants/nobody-here/quotas`, 'PUT', { storageBytes: 10 })).status).toBe(404);
  });
});

/** A call to the operator API. */
function operator(path: string, method: string, body?: unknown): Promise<Response> {
  return callApi(ADMIN, method, path, body);
}
