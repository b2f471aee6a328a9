/**
 * Server-Timing for one delivery. In production Workers the clock advances only on I/O, so CPU-only stages
 * (decode, transform, encode) report 0 there; I/O stages and the total stay meaningful. Benchmarks measure CPU.
 * A JPEG decoded straight into the first resize (a FrameSource) counts as transform: decode then covers only
 * its header checks.
 */
export type TimedStage = 'origin' | 'decode' | 'transform' | 'encode';
/** `nearest`: a stored variant of another size stood in, the original's budget of new variants being spent. */
export type CacheStatus = 'hit-edge' | 'hit-store' | 'miss' | 'revalidated' | 'bypass' | 'nearest';

export class Timing {
  private readonly started = performance.now();
  private readonly durations = new Map<TimedStage, number>();
  cache: CacheStatus = 'miss';
  /** `eu->default`: a read was served from outside the tenant's jurisdiction (storage/media.ts). */
  fallback: string | undefined;

  async time<T>(stage: TimedStage, work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.durations.set(stage, (this.durations.get(stage) ?? 0) + performance.now() - start);
    }
  }

  /** Milliseconds of decode, transform and encode: the transformation's cost, as far as the clock shows it. */
  cpuMs(): number {
    return (['decode', 'transform', 'encode'] as const).reduce((sum, stage) => sum + (this.durations.get(stage) ?? 0), 0);
  }

  header(): string {
    const parts = [`cache;desc=${this.cache}`];
    for (const stage of ['origin', 'decode', 'transform', 'encode'] as const) {
      parts.push(`${stage};dur=${(this.durations.get(stage) ?? 0).toFixed(1)}`);
    }
    if (this.fallback) parts.push(`fallback;desc="${this.fallback}"`);
    parts.push(`total;dur=${(performance.now() - this.started).toFixed(1)}`);
    return parts.join(', ');
  }
}
