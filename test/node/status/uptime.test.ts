import { describe, expect, it } from 'vitest';
import { classify, componentState, dailySeries, DAY_MS, dayUptime, overallStatus, periodUptime, utcDay } from '../../../src/status/uptime';

const at = (iso: string) => Date.parse(iso);

describe('a probe verdict', () => {
  it('is down for a wrong answer however fast, degraded for a right one past the threshold', () => {
    expect(classify(false, 5, 1000)).toBe('down');
    expect(classify(true, 1000, 1000)).toBe('ok');
    expect(classify(true, 1001, 1000)).toBe('degraded');
  });
});

describe('UTC days', () => {
  it('puts the last millisecond of a day and the first of the next on different days, whatever the local zone', () => {
    expect(utcDay(at('2026-03-31T23:59:59.999Z'))).toBe('2026-03-31');
    expect(utcDay(at('2026-04-01T00:00:00.000Z'))).toBe('2026-04-01');
    expect(utcDay(at('2026-04-01T01:30:00+02:00'))).toBe('2026-03-31');
  });
});

describe("a day's uptime", () => {
  it('is the share of probes that were up, degraded ones counting as up', () => {
    expect(dayUptime({ ok: 1437, degraded: 0, down: 3 })).toBeCloseTo(1437 / 1440, 12);
    expect(dayUptime({ ok: 700, degraded: 740, down: 0 })).toBe(1);
    expect(dayUptime({ ok: 0, degraded: 1, down: 1 })).toBe(0.5);
  });

  it('has none without probes (missing probes are not down)', () => {
    expect(dayUptime({ ok: 0, degraded: 0, down: 0 })).toBeNull();
  });

  it('is judged on the probes a partial day has so far', () => {
    // Today at 06:00 after 360 minutely probes, 36 of them down.
    expect(dayUptime({ ok: 324, degraded: 0, down: 36 })).toBe(0.9);
  });
});

describe('the 90-day series', () => {
  const now = at('2026-12-07T00:00:30Z');

  it('has 90 UTC days, oldest first, ending with today; days without counts have no uptime', () => {
    const series = dailySeries([{ day: '2026-12-06', ok: 1439, degraded: 0, down: 1 }], now);
    expect(series).toHaveLength(90);
    expect(series[0]!.day).toBe(utcDay(now - 89 * DAY_MS));
    expect(series.at(-1)).toEqual({ day: '2026-12-07', probes: 0, ok: 0, degraded: 0, down: 0, uptime: null });
    expect(series.at(-2)).toMatchObject({ day: '2026-12-06', probes: 1440, uptime: 1439 / 1440 });
    expect(series.filter((d) => d.uptime === null)).toHaveLength(89);
  });

  it('leaves out counts older than its window', () => {
    const series = dailySeries([{ day: utcDay(now - 90 * DAY_MS), ok: 0, degraded: 0, down: 10 }], now);
    expect(series.every((d) => d.probes === 0)).toBe(true);
    expect(periodUptime(series)).toBeNull();
  });

  it('sums probes over days, so a day with few probes weighs little', () => {
    const series = dailySeries(
      [
        { day: '2026-12-05', ok: 1440, degraded: 0, down: 0 },
        { day: '2026-12-06', ok: 0, degraded: 0, down: 10 },
      ],
      now,
    );
    expect(periodUptime(series)).toBeCloseTo(1440 / 1450, 12);
  });
});

describe("a component's state", () => {
  const now = at('2026-12-07T12:00:00Z');
  const stale = 5 * 60_000;

  it('is its latest probe while it is recent, unknown after', () => {
    expect(componentState('api', { at: now - 60_000, state: 'degraded' }, [], now, stale)).toBe('degraded');
    expect(componentState('api', { at: now - stale - 1, state: 'ok' }, [], now, stale)).toBe('unknown');
    expect(componentState('api', null, [], now, stale)).toBe('unknown');
  });

  it('is made worse, never better, by an open incident naming it', () => {
    const major = { impact: 'major' as const, components: ['api' as const] };
    expect(componentState('api', { at: now, state: 'ok' }, [major], now, stale)).toBe('down');
    expect(componentState('delivery', { at: now, state: 'ok' }, [major], now, stale)).toBe('operational');
    expect(componentState('api', { at: now, state: 'down' }, [{ impact: 'minor', components: ['api'] }], now, stale)).toBe('down');
    expect(componentState('api', { at: now, state: 'ok' }, [{ impact: 'none', components: ['api'] }], now, stale)).toBe('operational');
  });
});

describe('the overall status', () => {
  it('follows the worst component', () => {
    expect(overallStatus(['operational', 'operational'], [])).toBe('operational');
    expect(overallStatus(['operational', 'degraded'], [])).toBe('degraded');
    expect(overallStatus(['operational', 'down'], [])).toBe('partial_outage');
    expect(overallStatus(['down', 'down', 'unknown'], [])).toBe('major_outage');
  });

  it('follows open incidents: any impact degrades, a critical one is a major outage, a notice changes nothing', () => {
    expect(overallStatus(['operational'], ['minor'])).toBe('degraded');
    expect(overallStatus(['operational'], ['critical'])).toBe('major_outage');
    expect(overallStatus(['operational'], ['none'])).toBe('operational');
  });

  it('is unknown with no recent probe and nothing declared', () => {
    expect(overallStatus(['unknown', 'unknown'], [])).toBe('unknown');
    expect(overallStatus(['unknown'], ['none'])).toBe('unknown');
    expect(overallStatus(['unknown'], ['major'])).toBe('degraded');
  });
});
