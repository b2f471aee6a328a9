/**
 * The status page as HTML: no script, one stylesheet allowed by its hash (so the CSP allows nothing else), every
 * text that is not the page's own — incident titles and messages, probe details — escaped. State is said in
 * words as well as colours, and each component's 90 bars are one image with a spoken summary.
 */
import { escapeHtml } from '../http/html';
import { COMPONENTS } from './components';
import type { ComponentReport, StatusReport } from './report';
import type { Impact, Incident, IncidentStatus } from './types';
import type { ComponentState, DaySummary, OverallStatus } from './uptime';

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:52rem;padding:1rem;color:#1a1a1a;background:#fff}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;margin:2rem 0 .5rem}h3{font-size:1.05rem;margin:0}
.muted{color:#555;font-size:.9rem;margin:.25rem 0}
.overall{padding:.75rem 1rem;border-radius:.4rem;font-weight:600;border:2px solid}
.s-operational{color:#0b5d1e;border-color:#0b5d1e}.s-degraded{color:#7a4b00;border-color:#7a4b00}
.s-down,.s-partial_outage,.s-major_outage{color:#a4141b;border-color:#a4141b}.s-unknown{color:#555;border-color:#555}
ul.components,ol.updates,ul.incidents{list-style:none;padding:0;margin:0}
ul.components>li{border-bottom:1px solid #ddd;padding:1rem 0}
.row{display:flex;justify-content:space-between;gap:1rem;align-items:baseline}
.state{font-weight:600}
.bars{display:flex;gap:2px;height:2rem;margin:.5rem 0 .25rem}
.bar{flex:1;border-radius:1px}
.b-ok{background:#2f9e44}.b-minor{background:#f0a30a}.b-down{background:#c92a2a}.b-none{background:#ccc}
.legend{display:flex;justify-content:space-between;color:#555;font-size:.8rem}
article{border:1px solid #ddd;border-left:.35rem solid #555;padding:.75rem 1rem;margin:.75rem 0;border-radius:.3rem}
.i-minor{border-left-color:#f0a30a}.i-major,.i-critical{border-left-color:#c92a2a}
ol.updates>li{margin:.5rem 0}.message{white-space:pre-wrap;margin:.2rem 0}
@media (prefers-color-scheme:dark){body{background:#111;color:#eee}.muted,.legend{color:#bbb}
.s-operational{color:#69db7c;border-color:#69db7c}.s-degraded{color:#ffd43b;border-color:#ffd43b}
.s-down,.s-partial_outage,.s-major_outage{color:#ff8787;border-color:#ff8787}.s-unknown{color:#bbb;border-color:#bbb}}
`;

const OVERALL_TEXT: Record<OverallStatus, string> = {
  operational: 'All systems operational',
  degraded: 'Some systems degraded',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  unknown: 'Status not known yet: no recent probes',
};
const STATE_TEXT: Record<ComponentState, string> = { operational: 'Operational', degraded: 'Degraded', down: 'Down', unknown: 'No recent probes' };
const STATUS_TEXT: Record<IncidentStatus, string> = { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved' };
const IMPACT_TEXT: Record<Impact, string> = { none: 'Notice', minor: 'Minor impact', major: 'Major impact', critical: 'Critical impact' };
const COMPONENT_NAME = new Map<string, string>(COMPONENTS.map((c) => [c.id, c.name]));

/** The page's Content-Security-Policy: nothing but its own stylesheet, by hash; no scripts, frames or forms. */
export async function pageCsp(): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(STYLE));
  const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
  return `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

export const percent = (share: number | null) => (share === null ? 'no data' : `${(Math.floor(share * 10000) / 100).toFixed(2)} %`);

const time = (iso: string) => `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso.slice(0, 16).replace('T', ' '))} UTC</time>`;

function barClass(day: DaySummary): string {
  if (day.uptime === null) return 'b-none';
  if (day.uptime >= 0.999) return 'b-ok';
  return day.uptime >= 0.99 ? 'b-minor' : 'b-down';
}

function bar(day: DaySummary): string {
  const label = day.uptime === null ? `${day.day}: no data` : `${day.day}: ${percent(day.uptime)} of ${day.probes} probes up`;
  return `<span class="bar ${barClass(day)}" title="${escapeHtml(label)}"></span>`;
}

function component(c: ComponentReport): string {
  const checked = c.checkedAt
    ? ` Last checked ${time(c.checkedAt)}${c.latencyMs === null ? '' : ` (${c.latencyMs} ms)`}${c.detail ? `: ${escapeHtml(c.detail)}` : ''}.`
    : ' Not checked yet.';
  const summary = `${c.name}, daily uptime over the last ${c.days.length} days: ${percent(c.uptime)}`;
  return `<li>
<div class="row"><h3>${escapeHtml(c.name)}</h3><span class="state s-${c.status}">${STATE_TEXT[c.status]}</span></div>
<p class="muted">${escapeHtml(c.description)}.${checked}</p>
<div class="bars" role="img" aria-label="${escapeHtml(summary)}">${c.days.map(bar).join('')}</div>
<div class="legend"><span>${c.days.length} days ago</span><span>${percent(c.uptime)} uptime</span><span>Today</span></div>
</li>`;
}

function incident(i: Incident): string {
  const affects = i.components.map((id) => escapeHtml(COMPONENT_NAME.get(id) ?? id)).join(', ');
  const updates = i.updates
    .map((u) => `<li><strong>${STATUS_TEXT[u.status]}</strong> · ${time(u.at)}<p class="message">${escapeHtml(u.message)}</p></li>`)
    .join('\n');
  return `<article class="i-${i.impact}">
<h3>${escapeHtml(i.title)}</h3>
<p class="muted">${IMPACT_TEXT[i.impact]}${affects ? ` · Affects ${affects}` : ''} · Began ${time(i.createdAt)}${i.resolvedAt ? ` · Resolved ${time(i.resolvedAt)}` : ''}</p>
<ol class="updates">${updates}</ol>
</article>`;
}

export function renderStatusPage(report: StatusReport): string {
  const { open, resolved } = report.incidents;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>edgepix status: ${OVERALL_TEXT[report.status]}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>edgepix status</h1>
<p class="overall s-${report.status}">${OVERALL_TEXT[report.status]}</p>
<p class="muted">As of ${time(report.generatedAt)}. The same data as JSON: <a href="/status.json">/status.json</a>.</p>
</header>
<main>
<section aria-labelledby="open-incidents">
<h2 id="open-incidents">Open incidents</h2>
${open.length ? open.map(incident).join('\n') : '<p>No open incidents.</p>'}
</section>
<section aria-labelledby="components">
<h2 id="components">Components</h2>
<ul class="components">
${report.components.map(component).join('\n')}
</ul>
</section>
<section aria-labelledby="resolved-incidents">
<h2 id="resolved-incidents">Resolved incidents, last 90 days</h2>
${resolved.length ? resolved.map(incident).join('\n') : '<p>None.</p>'}
</section>
<section aria-labelledby="about">
<h2 id="about">How these figures are made</h2>
<p>Every minute a prober requests each component through the public routes: a cached image, a new transformation,
a media library API call, an upload and its deletion, and the video jobs API. A probe is up when it gets the right
answer within 10 seconds; it counts as degraded, and still up, when that answer is slower than the component's
threshold. A day's uptime is the share of that day's probes (UTC) that were up; minutes without a probe are left
out rather than counted as down, and a day without any is shown grey.</p>
</section>
</main>
</body>
</html>
`;
}
