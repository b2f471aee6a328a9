/**
 * Per-isolate memos: an isolate serves many requests, so what is slow to get and rarely changes (a decrypted
 * key, a tenant's config) is kept for a while. Bounded, because an isolate lives long and tenants are many: when
 * full, the oldest entry goes. A promise that rejects is forgotten at once, so a failure is never kept.
 */
export interface Memo<V> {
  /** The kept value for `key` while it is younger than the memo's time to live, else `load()`'s, kept. */
  get(key: string, load: () => V, now?: number): V;
  set(key: string, value: V, now?: number): void;
  delete(key: string): void;
}

export function memo<V>({ ttlMs = Infinity, capacity }: { ttlMs?: number; capacity: number }): Memo<V> {
  const entries = new Map<string, { at: number; value: V }>();
  const set = (key: string, value: V, now = Date.now()) => {
    entries.delete(key);
    if (entries.size >= capacity) entries.delete(entries.keys().next().value!);
    entries.set(key, { at: now, value });
    if (value instanceof Promise) {
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
    }
  };
  return {
    get(key, load, now = Date.now()) {
      const kept = entries.get(key);
      if (kept && now - kept.at < ttlMs) return kept.value;
      const value = load();
      set(key, value, now);
      return value;
    },
    set,
    delete: (key) => void entries.delete(key),
  };
}
