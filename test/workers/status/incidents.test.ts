/** Incidents through the operator API, as /status.json and /status show them. */
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { PLATFORM_LOG } from '../../../src/api/operator';
import { auditLog } from '../../../src/audit/record';
import type { StatusReport } from '../../../src/status/report';
import type { Incident } from '../../../src/status/types';
import { ADMIN } from '../admin-helpers';
import { ORIGIN } from '../helpers';

function post(path: string, body: unknown, headers: Record<string, string> = ADMIN): Promise<Response> {
  return SELF.fetch(`${ORIGIN}${path}`, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

const report = async () => (await (await SELF.fetch(`${ORIGIN}/status.json`)).json()) as StatusReport;

const HOSTILE = `<script>alert('x')</script> "quoted" & <b>bold</b>`;

describe('operator incidents', () => {
  it('refuses a caller without the operator token', async () => {
    const response = await post('/admin/v1/incidents', { title: 't', message: 'm' }, {});
    expect(response.status).toBe(401);
  });

  it.each([
    [{ message: 'm' }, 'title'],
    [{ title: '   ', message: 'm' }, 'title'],
    [{ title: 't' }, 'message'],
    [{ title: 't', message: 'm', impact: 'huge' }, 'impact'],
    [{ title: 't', message: 'm', components: ['delivery', 'cdn'] }, 'components[1]'],
    [{ title: 't', message: 'm', components: 'api' }, 'components'],
    [{ title: 't', message: 'm', status: 'resolved' }, 'status'],
    [{ title: 'x'.repeat(201), message: 'm' }, 'title'],
  ])('answers 400 naming the field for %j', async (body, field) => {
    const response = await post('/admin/v1/incidents', body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain(`"${field}"`);
  });

  it('opens an incident, shows it on the page escaped, takes updates, resolves it, and audits each step', async () => {
    const created = await post('/admin/v1/incidents', { title: HOSTILE, message: `First look: ${HOSTILE}`, impact: 'critical', components: ['api', 'uploads'] });
    expect(created.status).toBe(201);
    const incident = (await created.json()) as Incident;
    expect(incident).toMatchObject({ title: HOSTILE, status: 'investigating', impact: 'critical', components: ['api', 'uploads'], resolvedAt: null });
    expect(incident.updates).toEqual([{ at: incident.createdAt, status: 'investigating', message: `First look: ${HOSTILE}` }]);

    const open = await report();
    expect(open.status).toBe('major_outage');
    expect(open.incidents.open.map((i) => i.id)).toContain(incident.id);
    expect(open.components.find((c) => c.id === 'api')!.status).toBe('down');

    const page = await SELF.fetch(`${ORIGIN}/status`);
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('Content-Security-Policy')).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+';/);
    const html = await page.text();
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>bold');
    expect(html).toContain('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('Major outage');
    expect(html).toContain('Critical impact · Affects API, Uploads');

    const update = await post(`/admin/v1/incidents/${incident.id}/updates`, { status: 'identified', message: 'A full disk.', impact: 'major' });
    expect(update.status).toBe(201);
    expect(((await update.json()) as Incident).updates.map((u) => u.status)).toEqual(['identified', 'investigating']);
    expect((await report()).incidents.open.find((i) => i.id === incident.id)!.impact).toBe('major');

    const resolve = await post(`/admin/v1/incidents/${incident.id}/updates`, { status: 'resolved', message: 'Disk freed; all normal.' });
    const resolved = (await resolve.json()) as Incident;
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolvedAt).not.toBeNull();
    expect(resolved.impact).toBe('major');

    const after = await report();
    expect(after.incidents.open.map((i) => i.id)).not.toContain(incident.id);
    expect(after.incidents.resolved[0]!.id).toBe(incident.id);
    expect(await (await SELF.fetch(`${ORIGIN}/status`)).text()).toContain('Disk freed; all normal.');

    const again = await post(`/admin/v1/incidents/${incident.id}/updates`, { status: 'monitoring', message: 'late' });
    expect(again.status).toBe(409);

    const { entries } = await auditLog(env, PLATFORM_LOG).list({ limit: 100 });
    const mine = entries.filter((e) => e.target === `incident:${incident.id}`).map((e) => e.action);
    expect(mine.sort()).toEqual(['incident.create', 'incident.resolve', 'incident.update']);
    expect(entries.find((e) => e.action === 'incident.create')!.actor).toBe('operator');
  });

  it('answers 404 for an update of an unknown incident, and 400 for a bad update', async () => {
    expect((await post('/admin/v1/incidents/inc_nothing/updates', { status: 'monitoring', message: 'm' })).status).toBe(404);
    const { id } = (await (await post('/admin/v1/incidents', { title: 't', message: 'm', impact: 'none' })).json()) as Incident;
    const bad = await post(`/admin/v1/incidents/${id}/updates`, { status: 'fixed', message: 'm' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('"status"');
  });
});
