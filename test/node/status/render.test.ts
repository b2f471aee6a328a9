import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pageCsp, percent, renderStatusPage } from '../../../src/status/render';
import { statusReport } from '../../../src/status/report';
import type { Incident } from '../../../src/status/types';

const now = Date.parse('2026-12-07T12:00:00Z');
const incident: Incident = {
  id: 'inc_1',
  title: '<script>alert("t")</script> & slow "thumbnails"',
  status: 'identified',
  impact: 'major',
  components: ['transformations'],
  createdAt: '2026-12-07T11:00:00.000Z',
  updatedAt: '2026-12-07T11:30:00.000Z',
  resolvedAt: null,
  updates: [
    { at: '2026-12-07T11:30:00.000Z', status: 'identified', message: "A bad deploy; <img src=x onerror=alert(1)> rolled back" },
    { at: '2026-12-07T11:00:00.000Z', status: 'investigating', message: 'Looking' },
  ],
};

const report = statusReport(
  {
    latest: [{ component: 'delivery', at: now - 30_000, state: 'ok', latencyMs: 12, detail: '' }],
    days: [{ component: 'delivery', day: '2026-12-06', ok: 1430, degraded: 0, down: 10 }],
    open: [incident],
    resolved: [],
  },
  now,
);

describe('the status page', () => {
  const html = renderStatusPage(report);

  it('names every component with its state in words, and 90 bars each', () => {
    for (const name of ['Delivery', 'Transformations', 'API', 'Uploads', 'Video jobs']) expect(html).toContain(`<h3>${name}</h3>`);
    expect(html).toContain('<span class="state s-operational">Operational</span>');
    expect(html).toContain('<span class="state s-down">Down</span>'); // transformations, by the open major incident
    expect(html.match(/class="bar /g)).toHaveLength(5 * 90);
    expect(html).toContain('title="2026-12-06: 99.30 % of 1440 probes up"');
    expect(html).toContain('class="bar b-minor" title="2026-12-06'); // 99.3 %: under 99.9 %, not under 99 %
    expect(html).toContain('class="bar b-none" title="2026-12-07: no data"');
    expect(html).toContain('<p class="overall s-partial_outage">Partial outage</p>');
  });

  it('escapes incident text, and has no script or inline style attribute of its own', () => {
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; slow &quot;thumbnails&quot;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; rolled back');
    expect(html).not.toMatch(/ style=/);
    expect(html.indexOf('Identified')).toBeLessThan(html.indexOf('Investigating')); // newest update first
  });

  it('allows its one stylesheet by hash and nothing else', async () => {
    const csp = await pageCsp();
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(csp).toMatch(/^default-src 'none';/);
    expect(csp).not.toContain('unsafe');
    expect(csp).not.toContain('script-src');
  });

  it('rounds uptime down, so a day with one failure never reads 100 %', () => {
    expect(percent(1439 / 1440)).toBe('99.93 %');
    expect(percent(99_999 / 100_000)).toBe('99.99 %');
    expect(percent(null)).toBe('no data');
  });
});
