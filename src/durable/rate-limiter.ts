/**
 * Sliding-window rate limiting (the two-window approximation Cloudflare uses): the count of the current
 * window plus the previous window's count weighted by how much of it still overlaps. One object serves a
 * shard of one tenant's clients for one scope, so a burst from one client or tenant never slows another
 * shard; state lives in memory because a lost window only ever errs towards allowing.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until a request would be allowed again (0 when allowed). */
  resetMs: number;
  intervalMs: number;
}

interface Window {
  start: number;
  current: number;
  previous: number;
}

const MAX_CLIENTS = 50_000;

export class RateLimiter extends DurableObject<Env> {
  private windows = new Map<string, Window>();

  check(client: string, limit: number, intervalMs: number, now = Date.now()): RateDecision {
    const start = now - (now % intervalMs);
    let w = this.windows.get(client);
    if (!w || start - w.start >= 2 * intervalMs) w = { start, current: 0, previous: 0 };
    else if (start !== w.start) w = { start, current: 0, previous: w.current };
    const overlap = 1 - (now - start) / intervalMs;
    const used = w.previous * overlap + w.current;
    if (used + 1 > limit) {
      this.remember(client, w);
      // When the weighted previous window has decayed enough for one more request, or the window turns.
      const wait = w.previous > 0 ? Math.ceil(((used + 1 - limit) / w.previous) * intervalMs) : start + intervalMs - now;
      return { allowed: false, limit, remaining: 0, resetMs: Math.max(1, Math.min(wait, start + intervalMs - now + intervalMs)), intervalMs };
    }
    w.current++;
    this.remember(client, w);
    return { allowed: true, limit, remaining: Math.max(0, Math.floor(limit - used - 1)), resetMs: 0, intervalMs };
  }

  private remember(client: string, w: Window): void {
    if (!this.windows.has(client) && this.windows.size >= MAX_CLIENTS) {
      // Forget the oldest entry (Map keeps insertion order): bounded memory under an IP-spraying flood.
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
    this.windows.set(client, w);
  }
}
