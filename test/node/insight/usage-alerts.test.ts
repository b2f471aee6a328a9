/** Usage against thresholds and quotas: what has been reached, and what alerts only once a month. */
import { describe, expect, it } from 'vitest';
import { crossings, newCrossings, overQuotas } from '../../../src/insight/usage-alerts';
import { defaultAlertSettings, defaultQuotas, parseQuotas } from '../../../src/tenants/alert-settings';

const usage = { bandwidthBytes: 5_000, storageBytes: 100, transformations: 40, videoMinutes: 2.5 };

describe('usage thresholds', () => {
  it('finds the thresholds reached, each once until the period turns', () => {
    const settings = defaultAlertSettings();
    settings.usage.bandwidthBytes = [1_000, 5_000, 10_000];
    settings.usage.videoMinutes = [3];
    const found = crossings(usage, settings, defaultQuotas());
    expect(found.map((c) => c.key)).toEqual(['threshold:bandwidthBytes:1000', 'threshold:bandwidthBytes:5000']);
    expect(found[1]).toMatchObject({ metric: 'bandwidthBytes', source: 'threshold', threshold: 5_000, observed: 5_000 });
    // Alerted already this month: only the one not yet alerted is new.
    expect(newCrossings(found, ['threshold:bandwidthBytes:1000']).map((c) => c.threshold)).toEqual([5_000]);
    expect(newCrossings(found, found.map((c) => c.key))).toEqual([]);
  });

  it('finds the quotas reached with what happens over them', () => {
    const quotas = parseQuotas({ transformations: 40, storageBytes: 1_000, over: 'block' }, defaultQuotas());
    expect(overQuotas(usage, quotas)).toEqual([{ metric: 'transformations', source: 'quota', threshold: 40, observed: 40, over: 'block', key: 'quota:transformations:40' }]);
    // A quota raised is a new key: it alerts again once reached.
    const raised = parseQuotas({ transformations: 30 }, quotas);
    expect(raised.over).toBe('block');
    expect(overQuotas(usage, raised)[0]!.key).toBe('quota:transformations:30');
    expect(overQuotas(usage, parseQuotas({ transformations: null }, raised))).toEqual([]);
  });

  it('names the field of a bad quota', () => {
    expect(() => parseQuotas({ over: 'throttle' }, defaultQuotas())).toThrow('"over"');
    expect(() => parseQuotas({ pixels: 1 }, defaultQuotas())).toThrow('"pixels"');
    expect(() => parseQuotas({ bandwidthBytes: 1.5 }, defaultQuotas())).toThrow('"bandwidthBytes"');
  });
});
