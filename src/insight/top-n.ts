/**
 * Bounded top-N: the space-saving counter (Metwally, Agrawal, El Abbadi, 2005), weighted. A dimension keeps at
 * most `slots` counters per hour; a value that is not counted takes the smallest counter's place and inherits
 * its count (kept as `error`, the most it may be over). So the counters always sum to every event seen, any
 * value seen more often than total/slots is certain to hold a counter, and a scan of random paths cannot add
 * more than `slots` rows an hour.
 */
export interface Counter {
  value: string;
  count: number;
  /** How much of `count` may belong to values this counter replaced. */
  error: number;
}

export interface CounterChanges {
  /** Counters to write (new or changed). */
  upserts: Counter[];
  /** Values whose counter was taken over. */
  removed: string[];
}

/** Adds `increments` to `counters` (changed in place), keeping at most `slots`; answers what to write back. */
export function addToCounters(counters: Map<string, Counter>, increments: Map<string, number>, slots: number): CounterChanges {
  const stored = new Set(counters.keys());
  const changed = new Set<string>();
  const removed = new Set<string>();
  // Heaviest first: within one batch a frequent value takes a slot before the batch's one-offs compete for it.
  for (const [value, weight] of [...increments].sort((a, b) => b[1] - a[1])) {
    const counter = counters.get(value);
    if (counter) {
      counter.count += weight;
    } else if (counters.size < slots) {
      counters.set(value, { value, count: weight, error: 0 });
      removed.delete(value);
    } else {
      const smallest = minimum(counters);
      counters.delete(smallest.value);
      changed.delete(smallest.value);
      // A value counted and displaced within this batch was never written.
      if (stored.has(smallest.value)) removed.add(smallest.value);
      counters.set(value, { value, count: smallest.count + weight, error: smallest.count });
      removed.delete(value);
    }
    changed.add(value);
  }
  return { upserts: [...changed].map((value) => counters.get(value)!), removed: [...removed] };
}

function minimum(counters: Map<string, Counter>): Counter {
  let smallest: Counter | undefined;
  for (const counter of counters.values()) if (!smallest || counter.count < smallest.count) smallest = counter;
  return smallest!;
}
