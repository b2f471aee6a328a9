/**
 * The status page end to end in the pool: the Cron Trigger's `scheduled` handler runs the real probes through
 * the Worker, the board stores them, /status.json and /status show them; incidents through the operator API.
 */
import { createExecutionContext, createScheduledController, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../../src/index';
import { PLATFORM_LOG } from '../../../src/api/operator';
import { auditLog } from '../../../src/audit/record';
import { decryptSecret } from '../../../src/security/crypto';
import { DEFAULT_CANARY_TENANT, DELIVERY_FILE } from '../../../src/status/canary';
import type { StatusReport } from '../../../src/status/report';
import { utcDay } from '../../../src/status/uptime';
import { readTenantFresh } from '../../../src/tenants/store';
import { ADMIN, api } from '../admin-helpers';
import { ORIGIN } from '../helpers';

const CRON = '* * * * *';

/** The Worker's loopback binding as the runtime has it (the types in use predate its `scheduled`). */
interface ScheduledDoor {
  scheduled(options: { cron: string; scheduledTime: Date }): Promise<unknown>;
}

async function runCron(): Promise<void> {
  const controller = createScheduledController({ cron: CRON, scheduledTime: Date.now() });
  const exec = createExecutionContext();
  await worker.scheduled!(controller, env, exec);
  await waitOnExecutionContext(exec);
}

async function statusJson(): Promise<StatusReport> {
  const response = await SELF.fetch(`${ORIGIN}/status.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get('Cache-Control')).toBe('public, max-age=30');
  return (await response.json()) as StatusReport;
}

async function canaryKey(): Promise<string> {
  const tenant = await readTenantFresh(env, DEFAULT_CANARY_TENANT);
  return decryptSecret(env.MASTER_KEY, tenant!.keys[0]!.privateKeyCiphertext, DEFAULT_CANARY_TENANT);
}

const today = () => (report: StatusReport, id: string) => report.components.find((c) => c.id === id)!.days.at(-1)!;

describe('the prober, run by the Cron Trigger', () => {
  it('creates its canary on the first run and finds every component up', async () => {
    const before = await statusJson();
    expect(before.status).toBe('unknown');
    expect(before.components.map((c) => c.id)).toEqual(['delivery', 'transformations', 'api', 'uploads', 'video']);

    // The Worker's own scheduled door, as a Cron Trigger calls it.
    await (exports as unknown as { default: ScheduledDoor }).default.scheduled({ cron: CRON, scheduledTime: new Date() });

    const report = await statusJson();
    for (const c of report.components) {
      expect({ id: c.id, detail: c.detail }).toEqual({ id: c.id, detail: '' });
      expect(['operational', 'degraded']).toContain(c.status);
      expect(c.latencyMs).toBeGreaterThanOrEqual(0);
      expect(c.days).toHaveLength(90);
      expect(today()(report, c.id)).toMatchObject({ day: utcDay(Date.now()), probes: 1, down: 0, uptime: 1 });
      expect(c.uptime).toBe(1);
    }
    expect(['operational', 'degraded']).toContain(report.status);

    // The canary is a tenant like any other, made through the operator API (and audited there).
    const tenant = await SELF.fetch(`${ORIGIN}/admin/v1/tenants/${DEFAULT_CANARY_TENANT}`, { headers: ADMIN });
    expect(tenant.status).toBe(200);
    const { entries } = await auditLog(env, PLATFORM_LOG).list({ limit: 100 });
    expect(entries.some((e) => e.action === 'tenant.create' && e.target === `tenant:${DEFAULT_CANARY_TENANT}`)).toBe(true);

    // The upload probe deleted what it uploaded; the transformation probe left no variant behind.
    const files = (await (await api(await canaryKey(), '/v1/files?limit=100')).json()) as { filePath: string }[];
    expect(files.map((f) => f.filePath).sort()).toEqual(['/status/canary.png', '/status/transform.png']);
    const variants = await env.MEDIA.list({ prefix: `variants/${DEFAULT_CANARY_TENANT}/` });
    expect(variants.objects).toHaveLength(1); // the delivery probe's w-16, kept so it is a cache hit next time
  });

  it('shows a component down when its probe fails, and counts it in the day', async () => {
    await runCron();
    const key = await canaryKey();
    const files = (await (await api(key, '/v1/files?limit=100')).json()) as { fileId: string; filePath: string }[];
    const canary = files.find((f) => f.filePath === `/${DELIVERY_FILE}`)!;
    expect((await api(key, `/v1/files/${canary.fileId}`, { method: 'DELETE' })).status).toBe(204);

    await runCron();
    const report = await statusJson();
    const delivery = report.components.find((c) => c.id === 'delivery')!;
    expect(delivery.status).toBe('down');
    expect(delivery.detail).toBe('HTTP 404');
    expect(report.status).toBe('partial_outage');
    const day = today()(report, 'delivery');
    expect(day.down).toBe(1);
    expect(day.uptime).toBeCloseTo((day.probes - 1) / day.probes, 10);
    expect(report.components.find((c) => c.id === 'api')!.status).not.toBe('down');

    // The prober put the canary back: the next run finds delivery up again.
    await runCron();
    const after = await statusJson();
    expect(after.components.find((c) => c.id === 'delivery')!.status).not.toBe('down');
  });
});
