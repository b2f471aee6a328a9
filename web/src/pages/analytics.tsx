/**
 * Analytics: requests, bandwidth, errors and refusals over a date range, hour by hour or day by day, drawn as
 * charts; the top values of a dimension (paths, referrers, IPs, …) over the same range; both as CSV. Needs audit or
 * settings read, as the analytics API does.
 */
import { useState } from 'preact/hooks';
import { API, api, query } from '../api';
import { BarChart } from '../ui/chart';
import { ErrorBox, Field, formatBytes, inputValue, Section, useLoad } from '../ui/kit';

type Granularity = 'hour' | 'day';
const METRICS = ['requests', 'bandwidth', 'errors', 'refusals'] as const;
type Metric = (typeof METRICS)[number];
const TITLES: Record<Metric, string> = { requests: 'Requests', bandwidth: 'Bandwidth', errors: 'Errors', refusals: 'Refusals' };
const DIMENSIONS = ['path', 'referrer', 'ip', 'userAgent', 'browser', 'os', 'device', 'country', 'format', 'status', 'refusal', 'cache'] as const;
const LIMIT = 10;

interface Series {
  points: ({ start: string } & Record<Metric, number>)[];
}
interface Top {
  total: number;
  other: number;
  entries: { value: string; count: number; error: number }[];
}

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const count = (n: number) => n.toLocaleString('en');

/** The API's range from the page's days: from the start of the first (UTC) to the end of the last, never past the current hour. */
function rangeOf(fromDay: string, untilDay: string): { from: string; to: string } {
  const nextHour = Math.ceil(Date.now() / 3_600_000) * 3_600_000;
  const to = Math.min(Date.parse(untilDay) + DAY_MS, nextHour);
  return { from: new Date(Date.parse(fromDay)).toISOString(), to: new Date(to).toISOString() };
}

export function Analytics() {
  const [days, setDays] = useState({ from: dayOf(Date.now() - 6 * DAY_MS), until: dayOf(Date.now()) });
  const [granularity, setGranularity] = useState<Granularity>('hour');
  const [dimension, setDimension] = useState<(typeof DIMENSIONS)[number]>('path');
  const range = rangeOf(days.from, days.until);
  const seriesQuery = { metric: METRICS.join(','), ...range, granularity };
  const topQuery = { dimension, ...range, limit: LIMIT };
  const series = useLoad(() => api<Series>('GET', `/v1/accounts/analytics/timeseries${query(seriesQuery)}`), [range.from, range.to, granularity]);
  const top = useLoad(() => api<Top>('GET', `/v1/accounts/analytics/top${query(topQuery)}`), [range.from, range.to, dimension]);
  const format = (metric: Metric) => (metric === 'bandwidth' ? formatBytes : count);

  return (
    <Section
      title="Analytics"
      actions={
        <a id="series-csv" href={`${API}/v1/accounts/analytics/timeseries${query({ ...seriesQuery, format: 'csv' })}`} download="analytics-timeseries.csv">
          Download CSV
        </a>
      }
    >
      <form class="row" id="analytics-range" onSubmit={(e) => e.preventDefault()}>
        <Field label="From"><input type="date" name="from" value={days.from} onChange={(e) => setDays({ ...days, from: inputValue(e) })} /></Field>
        <Field label="Until"><input type="date" name="until" value={days.until} onChange={(e) => setDays({ ...days, until: inputValue(e) })} /></Field>
        <Field label="By">
          <select name="granularity" value={granularity} onChange={(e) => setGranularity(inputValue(e) as Granularity)}>
            <option value="hour">hour</option>
            <option value="day">day</option>
          </select>
        </Field>
        <button type="button" id="analytics-refresh" onClick={() => (series.reload(), top.reload())}>Refresh</button>
      </form>
      <ErrorBox error={series.error} />
      {series.data ? (
        <div class="charts" aria-busy={series.loading || top.loading}>
          {METRICS.map((metric) => (
            <BarChart
              id={`chart-${metric}`}
              title={TITLES[metric]}
              granularity={granularity}
              format={format(metric)}
              points={series.data!.points.map((p) => ({ start: Date.parse(p.start), value: p[metric] }))}
            />
          ))}
        </div>
      ) : null}
      <h3>
        Top{' '}
        <select name="dimension" id="top-dimension" value={dimension} onChange={(e) => setDimension(inputValue(e) as typeof dimension)}>
          {DIMENSIONS.map((d) => <option value={d}>{d}</option>)}
        </select>{' '}
        <a id="top-csv" href={`${API}/v1/accounts/analytics/top${query({ ...topQuery, format: 'csv' })}`} download="analytics-top.csv">CSV</a>
      </h3>
      <ErrorBox error={top.error} />
      {top.data ? (
        <table id="top-table">
          <thead>
            <tr><th>{dimension}</th><th>Requests</th><th>Share</th></tr>
          </thead>
          <tbody>
            {top.data.entries.map((e) => (
              <tr data-value={e.value}>
                <td><code>{e.value === '' ? '(none)' : e.value}</code></td>
                <td class="count">{count(e.count)}{e.error ? <small title="may include values it replaced"> ±{count(e.error)}</small> : null}</td>
                <td>{top.data!.total ? `${((100 * e.count) / top.data!.total).toFixed(1)} %` : '—'}</td>
              </tr>
            ))}
            {top.data.other ? (
              <tr class="other"><td>other</td><td>{count(top.data.other)}</td><td>{`${((100 * top.data.other) / top.data.total).toFixed(1)} %`}</td></tr>
            ) : null}
          </tbody>
        </table>
      ) : null}
      {top.data?.entries.length === 0 ? <p id="top-empty">No requests in this range.</p> : null}
    </Section>
  );
}
