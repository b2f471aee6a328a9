import { describe, expect, it } from 'vitest';
import { memo } from '../../../src/cache/memo';

describe('memo', () => {
  it('keeps a value for its time to live, then loads it again', () => {
    const m = memo<number>({ ttlMs: 1_000, capacity: 10 });
    let loads = 0;
    const load = () => ++loads;
    expect(m.get('a', load, 0)).toBe(1);
    expect(m.get('a', load, 999)).toBe(1);
    expect(m.get('a', load, 1_000)).toBe(2);
    expect(loads).toBe(2);
  });

  it('drops the oldest entry when full', () => {
    const m = memo<string>({ capacity: 2 });
    m.set('a', 'A');
    m.set('b', 'B');
    m.set('c', 'C');
    expect(m.get('a', () => 'loaded')).toBe('loaded');
    expect(m.get('c', () => 'loaded')).toBe('C');
  });

  it('forgets a promise that rejects, so the next call tries again', async () => {
    const m = memo<Promise<string>>({ capacity: 10 });
    const failed = m.get('k', () => Promise.reject(new Error('down')));
    await expect(failed).rejects.toThrow('down');
    await Promise.resolve();
    expect(await m.get('k', () => Promise.resolve('up'))).toBe('up');
  });

  it('does not keep a load that throws', () => {
    const m = memo<string>({ capacity: 10 });
    expect(() => m.get('k', () => { throw new Error('bad key'); })).toThrow('bad key');
    expect(m.get('k', () => 'good')).toBe('good');
  });

  it('forgets an entry on delete', () => {
    const m = memo<string>({ capacity: 10 });
    m.set('k', 'old');
    m.delete('k');
    expect(m.get('k', () => 'new')).toBe('new');
  });
});
