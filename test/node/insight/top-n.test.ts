import { describe, expect, it } from 'vitest';
import { addToCounters, type Counter } from '../../../src/insight/top-n';

const counts = (entries: [string, number][]) => new Map(entries);

describe('space-saving top-N', () => {
  it('counts exactly while there are free slots', () => {
    const counters = new Map<string, Counter>();
    const changes = addToCounters(counters, counts([['a', 3], ['b', 1]]), 3);
    expect(changes).toEqual({ upserts: [{ value: 'a', count: 3, error: 0 }, { value: 'b', count: 1, error: 0 }], removed: [] });
    addToCounters(counters, counts([['a', 2], ['c', 1]]), 3);
    expect([...counters.values()]).toEqual([{ value: 'a', count: 5, error: 0 }, { value: 'b', count: 1, error: 0 }, { value: 'c', count: 1, error: 0 }]);
  });

  it('never holds more than its slots, keeps every event counted, and keeps a frequent value among a flood of one-offs', () => {
    const counters = new Map<string, Counter>();
    let total = 0;
    for (let batch = 0; batch < 50; batch++) {
      const increments = counts(Array.from({ length: 100 }, (_, i) => [`scan-${batch}-${i}`, 1] as [string, number]));
      increments.set('popular', 20);
      total += 120;
      addToCounters(counters, increments, 8);
      expect(counters.size).toBeLessThanOrEqual(8);
    }
    expect([...counters.values()].reduce((sum, c) => sum + c.count, 0)).toBe(total);
    const popular = counters.get('popular')!;
    // Its true count is 1000: the counter holds at least that, and at most `error` more.
    expect(popular.count).toBeGreaterThanOrEqual(1000);
    expect(popular.count - popular.error).toBeLessThanOrEqual(1000);
  });

  it('asks to delete only values that were stored before the batch', () => {
    const counters = new Map<string, Counter>([['old', { value: 'old', count: 1, error: 0 }]]);
    const { upserts, removed } = addToCounters(counters, counts([['x', 5], ['y', 2], ['z', 1]]), 1);
    expect(removed).toEqual(['old']);
    // old 1 → x 1+5 → y 6+2 → z 8+1: each newcomer inherits the smallest count as its error.
    expect(upserts).toEqual([{ value: 'z', count: 9, error: 8 }]);
  });
});
