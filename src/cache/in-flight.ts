/**
 * Work in progress in this isolate, by key: callers that ask for the same key while it runs share the one run,
 * so a burst of misses for one original fetches it once and renders each variant once. Only what is running is
 * kept; the R2 derived store is the tier shared between isolates and locations.
 */
export function coalescing<T>(): (key: string, work: () => Promise<T>) => Promise<T> {
  const running = new Map<string, Promise<T>>();
  return (key, work) => {
    let run = running.get(key);
    if (!run) {
      run = work().finally(() => running.delete(key));
      running.set(key, run);
    }
    return run;
  };
}
