/**
 * A bar chart of a time series, drawn as SVG: one bar per bucket, the largest value and the range's ends as
 * labels, each bar's value in its tooltip. Small on purpose: the analytics page needs nothing more, and a chart
 * library would weigh more than the rest of the dashboard.
 */
export interface Point {
  /** Start of the bucket, Unix ms. */
  start: number;
  value: number;
}

const WIDTH = 600;
const HEIGHT = 160;
const LEFT = 56;
const BOTTOM = 20;
const TOP = 8;

export function BarChart({ id, title, points, format, granularity }: { id: string; title: string; points: Point[]; format: (n: number) => string; granularity: 'hour' | 'day' }) {
  const max = Math.max(0, ...points.map((p) => p.value));
  const plotWidth = WIDTH - LEFT;
  const plotHeight = HEIGHT - BOTTOM - TOP;
  const slot = points.length ? plotWidth / points.length : plotWidth;
  const when = (t: number) => (granularity === 'hour' ? new Date(t).toISOString().slice(5, 16).replace('T', ' ') : new Date(t).toISOString().slice(0, 10));
  const total = points.reduce((sum, p) => sum + p.value, 0);
  return (
    <figure class="chart" id={id} data-total={total} data-max={max}>
      <figcaption>
        {title} <small>total {format(total)}</small>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${title}: total ${format(total)}`}>
        <line class="axis" x1={LEFT} y1={TOP + plotHeight} x2={WIDTH} y2={TOP + plotHeight} />
        <line class="grid" x1={LEFT} y1={TOP} x2={WIDTH} y2={TOP} />
        <text class="label" x={LEFT - 4} y={TOP + 4} text-anchor="end">{format(max)}</text>
        <text class="label" x={LEFT - 4} y={TOP + plotHeight} text-anchor="end">0</text>
        {points.map((p, i) => {
          const h = max > 0 ? (p.value / max) * plotHeight : 0;
          return (
            <rect class="bar" x={LEFT + i * slot + slot * 0.1} y={TOP + plotHeight - h} width={Math.max(1, slot * 0.8)} height={h} data-value={p.value}>
              <title>{`${when(p.start)}: ${format(p.value)}`}</title>
            </rect>
          );
        })}
        {points.length ? (
          <>
            <text class="label" x={LEFT} y={HEIGHT - 4}>{when(points[0]!.start)}</text>
            <text class="label" x={WIDTH} y={HEIGHT - 4} text-anchor="end">{when(points[points.length - 1]!.start)}</text>
          </>
        ) : null}
      </svg>
    </figure>
  );
}
