/**
 * One lock per tenant, held while a config change reads, changes and saves the tenant's KV config: without
 * it, two changes at once both read the same config and the later save drops the earlier change. The lock is
 * a lease: a holder that never releases it (its Worker died) loses it after LEASE_MS. The lease is kept in the
 * object's storage, so an object restarted while the lock is held still keeps others out until it runs out.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';

export const LEASE_MS = 10_000;
const LEASE_KEY = 'lease';

interface Lease {
  token: string;
  until: number;
}

export class TenantLock extends DurableObject<Env> {
  /** Requests waiting in this instance; a restart ends them along with the requests themselves. */
  private waiting: (() => void)[] = [];

  /** Waits until the lock is free (or its lease ran out) and takes it; answers the token that releases it. */
  async acquire(): Promise<string> {
    for (;;) {
      const held = this.ctx.storage.kv.get<Lease>(LEASE_KEY);
      const now = Date.now();
      if (!held || held.until <= now) break;
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        setTimeout(resolve, held.until - now);
      });
    }
    const token = crypto.randomUUID();
    this.ctx.storage.kv.put<Lease>(LEASE_KEY, { token, until: Date.now() + LEASE_MS });
    return token;
  }

  /** Frees the lock if `token` still holds it, and wakes the waiters (the first to run takes it). */
  release(token: string): void {
    if (this.ctx.storage.kv.get<Lease>(LEASE_KEY)?.token !== token) return;
    this.ctx.storage.kv.delete(LEASE_KEY);
    for (const wake of this.waiting.splice(0)) wake();
  }
}
